package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.Credentials;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryAuthTest {
  private FakeDistribution registry;
  private TokenServer tokens;
  private final Fixtures fx = new Fixtures();

  @BeforeEach
  void start() throws Exception {
    registry = new FakeDistribution();
    tokens = new TokenServer();
  }

  @AfterEach
  void stop() {
    registry.close();
    tokens.close();
  }

  private void bearer() {
    registry.challenge = tokens.challenge("fake-registry");
    registry.authorized = tokens::accepts;
  }

  private RegistryRepository session(Optional<Credentials> creds, boolean push)
      throws RegistryException {
    HttpRegistry r = new HttpRegistry(Fixtures.login(tokens.user, tokens.password),
        fx.settings());
    return r.repository(Fixtures.ref(registry.host(), "team/app"),
        new RegistryOptions(creds, Set.of()), push);
  }

  @Test
  void bearerFlowAsksTheRealmWithBasicCredentialsAndScopeAndCachesTheToken() throws Exception {
    bearer();
    registry.putBlob("team/app", "hello".getBytes(StandardCharsets.UTF_8));
    RegistryRepository repo = session(Optional.empty(), true);
    Digest d = Digest.sha256("hello".getBytes(StandardCharsets.UTF_8));
    assertTrue(repo.hasBlob(d));
    assertTrue(repo.hasBlob(d));
    assertFalse(repo.hasBlob(Digest.sha256(new byte[] {1})));

    List<FakeServer.Seen> tokenRequests = tokens.requests();
    assertEquals(1, tokenRequests.size(), "one token for the session's scope");
    FakeServer.Seen t = tokenRequests.get(0);
    String q = java.net.URLDecoder.decode(t.uri().getRawQuery(), StandardCharsets.UTF_8);
    assertTrue(q.contains("service=fake-registry"), q);
    assertTrue(q.contains("scope=repository:team/app:pull,push"), q);
    assertTrue(q.contains("account=alice"), q);
    assertEquals("Basic " + Base64.getEncoder().encodeToString(
        "alice:pa55-w0rd-secret".getBytes(StandardCharsets.UTF_8)), t.header("Authorization"));
    long bearerRequests = registry.server.requests().stream()
        .filter(s -> "Bearer tok-1".equals(s.header("Authorization"))).count();
    assertEquals(3, bearerRequests);
  }

  @Test
  void pullSessionsAskForPullOnlyAndAnonymousTokensCarryNoAuthorization() throws Exception {
    bearer();
    registry.putBlob("team/app", new byte[] {1, 2});
    HttpRegistry r = new HttpRegistry(Fixtures.none(), fx.settings());
    RegistryRepository repo = r.repository(Fixtures.ref(registry.host(), "team/app"),
        RegistryOptions.DEFAULT, false);
    assertTrue(repo.hasBlob(Digest.sha256(new byte[] {1, 2})));
    FakeServer.Seen t = tokens.requests().get(0);
    assertNull(t.header("Authorization"));
    String q = java.net.URLDecoder.decode(t.uri().getRawQuery(), StandardCharsets.UTF_8);
    assertTrue(q.contains("scope=repository:team/app:pull") && !q.contains("push"), q);
    assertFalse(q.contains("account="), q);
  }

  @Test
  void expiredTokensAreFetchedAgain() throws Exception {
    bearer();
    tokens.expiresIn = 120;
    registry.putBlob("team/app", new byte[] {3});
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    RegistryClientSettings settings = fx.settings().withRetry(fx.settings().retry()
        .withClock(clock));
    HttpRegistry r = new HttpRegistry(Fixtures.none(), settings);
    RegistryRepository repo = r.repository(Fixtures.ref(registry.host(), "team/app"),
        RegistryOptions.DEFAULT, false);
    Digest d = Digest.sha256(new byte[] {3});
    repo.hasBlob(d);
    now.set(now.get().plusSeconds(100));
    repo.hasBlob(d);
    assertEquals(1, tokens.issued.get(), "still valid after 100 s of 120");
    now.set(now.get().plus(Duration.ofSeconds(15)));
    repo.hasBlob(d);
    assertEquals(2, tokens.issued.get(), "renewed within 10 s of expiry");
  }

  @Test
  void aRefusedTokenIsRefreshedOnce() throws Exception {
    bearer();
    registry.putBlob("team/app", new byte[] {4});
    RegistryRepository repo = session(Optional.empty(), false);
    Digest d = Digest.sha256(new byte[] {4});
    assertTrue(repo.hasBlob(d));
    tokens.valid.clear(); // the registry no longer accepts tok-1
    assertTrue(repo.hasBlob(d));
    assertEquals(2, tokens.issued.get());
  }

  @Test
  void aTokenThatNeverWorksEndsAsUnauthorizedAfterOneRefresh() throws Exception {
    registry.challenge = tokens.challenge("fake-registry");
    registry.authorized = auth -> false;
    RegistryRepository repo = session(Optional.empty(), false);
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo.fetchManifest("latest"));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    assertEquals("authentication required for " + registry.host()
        + "/team/app (wrong or missing credentials)", e.getMessage());
    assertEquals(2, tokens.issued.get(), "the first token and one refresh");
  }

  @Test
  void wrongPasswordAtTheTokenServiceIsUnauthorized() throws Exception {
    bearer();
    RegistryRepository repo = session(Optional.of(Credentials.basic("alice", "wrong-pass")),
        false);
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo.hasBlob(Digest.sha256(new byte[0])));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    assertEquals("authentication required for " + registry.host()
        + "/team/app (wrong or missing credentials)", e.getMessage());
    assertFalse(e.getMessage().contains("wrong-pass"));
  }

  @Test
  void identityTokensUseTheRefreshTokenGrant() throws Exception {
    bearer();
    registry.putBlob("team/app", new byte[] {5});
    RegistryRepository repo = session(Optional.of(Credentials.identityToken(
        "refresh-token-secret")), true);
    assertTrue(repo.hasBlob(Digest.sha256(new byte[] {5})));
    List<FakeServer.Seen> reqs = tokens.requests();
    assertEquals(1, reqs.size());
    assertEquals("POST", reqs.get(0).method());
    assertEquals("application/x-www-form-urlencoded", reqs.get(0).header("Content-Type"));
    assertNull(reqs.get(0).header("Authorization"));
  }

  @Test
  void basicChallengeSendsBasicAndRefusesWrongCredentialsWithoutRetrying() throws Exception {
    String good = "Basic " + Base64.getEncoder().encodeToString(
        "bob:hunter2-secret".getBytes(StandardCharsets.UTF_8));
    registry.authorized = good::equals;
    registry.putBlob("team/app", new byte[] {6});
    HttpRegistry r = new HttpRegistry(Fixtures.login("bob", "hunter2-secret"), fx.settings());
    RegistryRepository ok = r.repository(Fixtures.ref(registry.host(), "team/app"),
        RegistryOptions.DEFAULT, false);
    assertTrue(ok.hasBlob(Digest.sha256(new byte[] {6})));

    registry.server.clearRequests();
    RegistryRepository bad = r.repository(Fixtures.ref(registry.host(), "team/app"),
        new RegistryOptions(Optional.of(Credentials.basic("bob", "nope-secret")), Set.of()),
        false);
    RegistryException e = assertThrows(RegistryException.class,
        () -> bad.hasBlob(Digest.sha256(new byte[] {6})));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    assertEquals(2, registry.server.requests().size(), "ping, then one refused HEAD");
  }

  @Test
  void commandLineCredentialsOverrideTheCredentialSource() throws Exception {
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        "cli:cli-secret".getBytes(StandardCharsets.UTF_8));
    registry.authorized = expected::equals;
    HttpRegistry r = new HttpRegistry(Fixtures.login("stored", "stored-secret"), fx.settings());
    RegistryRepository repo = r.repository(Fixtures.ref(registry.host(), "team/app"),
        new RegistryOptions(Optional.of(Credentials.basic("cli", "cli-secret")), Set.of()),
        false);
    assertFalse(repo.hasBlob(Digest.sha256(new byte[] {9})));
  }

  @Test
  void anonymousRegistryGetsNoAuthorization() throws Exception {
    registry.putBlob("team/app", new byte[] {7});
    HttpRegistry r = new HttpRegistry(Fixtures.login("x", "y-secret"), fx.settings());
    RegistryRepository repo = r.repository(Fixtures.ref(registry.host(), "team/app"),
        RegistryOptions.DEFAULT, true);
    TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
    repo.fetchBlob(io.zlayer.domain.image.Descriptor.of("application/octet-stream",
        Digest.sha256(new byte[] {7}), 1), w, TransferListener.NONE);
    assertArrayEquals(new byte[] {7}, w.bytes());
    assertTrue(registry.server.requests().stream().allMatch(s -> s.header("Authorization")
        == null));
  }

  @Test
  void mountAsksForPullOnTheSourceRepositoryToo() throws Exception {
    bearer();
    byte[] content = "mount me".getBytes(StandardCharsets.UTF_8);
    registry.putBlob("team/base", content);
    RegistryRepository repo = session(Optional.empty(), true);
    repo.pushBlob(TestBlobs.stream(content), Optional.of("team/base"), TransferListener.NONE);
    assertTrue(registry.hasBlob("team/app", Digest.sha256(content)));
    assertEquals(0, registry.uploadsStarted.get());
    boolean sawBoth = tokens.requests().stream().anyMatch(s -> {
      String q = java.net.URLDecoder.decode(s.uri().getRawQuery(), StandardCharsets.UTF_8);
      return q.contains("scope=repository:team/app:pull,push")
          && q.contains("scope=repository:team/base:pull");
    });
    assertTrue(sawBoth, "token asked for both scopes: " + tokens.requests());
  }
}
