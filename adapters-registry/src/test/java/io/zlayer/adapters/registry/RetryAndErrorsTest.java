package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.Credentials;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.MediaTypes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryAndErrorsTest {
  private static final byte[] MANIFEST = "{\"schemaVersion\":2,\"config\":{},\"layers\":[]}"
      .getBytes(StandardCharsets.UTF_8);
  private FakeDistribution registry;
  private final Fixtures fx = new Fixtures();

  @BeforeEach
  void start() throws Exception {
    registry = new FakeDistribution();
    registry.putManifest("team/app", "v1", MediaTypes.OCI_MANIFEST, MANIFEST);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private RegistryRepository repo(String host, RegistryClientSettings s) throws Exception {
    return new HttpRegistry(Fixtures.none(), s).repository(Fixtures.ref(host, "team/app"),
        RegistryOptions.DEFAULT, true);
  }

  /** Answers {@code status} (with optional Retry-After) to the first {@code times} requests. */
  private void failFirst(String method, String path, int times, int status, String retryAfter) {
    AtomicInteger n = new AtomicInteger();
    registry.server.route(method, path, ex -> {
      if (n.incrementAndGet() <= times) {
        if (retryAfter != null) {
          ex.responseHeader("Retry-After", retryAfter);
        }
        ex.json(status, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"busy\"}]}");
        return;
      }
      ex.responseHeader("Content-Type", MediaTypes.OCI_MANIFEST);
      ex.bytes(200, MANIFEST);
    });
  }

  @Test
  void serverErrorsAreRetriedWithGrowingJitteredBackoff() throws Exception {
    failFirst("GET", "/v2/team/app/manifests/v1", 3, 503, null);
    repo(registry.host(), fx.settings()).fetchManifest("v1");
    assertEquals(3, fx.sleeps.size());
    long[] bounds = {100, 200, 400};
    for (int i = 0; i < 3; i++) {
      long ms = fx.sleeps.get(i).toMillis();
      assertTrue(ms >= bounds[i] / 2 && ms <= bounds[i], fx.sleeps.toString());
    }
    assertTrue(fx.trace.stream().anyMatch(l -> l.startsWith("retry GET ")
        && l.contains("HTTP 503") && l.contains("attempt 2 of 5")), fx.trace.toString());
  }

  @Test
  void tooManyRequestsHonoursRetryAfterSeconds() throws Exception {
    failFirst("GET", "/v2/team/app/manifests/v1", 1, 429, "3");
    repo(registry.host(), fx.settings()).fetchManifest("v1");
    assertEquals(List.of(Duration.ofSeconds(3)), fx.sleeps);
  }

  @Test
  void retryAfterAsAnHttpDate() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    failFirst("GET", "/v2/team/app/manifests/v1", 1, 503, "Sun, 01 Mar 2026 10:00:12 GMT");
    RegistryClientSettings s = fx.settings().withRetry(fx.settings().retry().withClock(clock));
    repo(registry.host(), s).fetchManifest("v1");
    assertEquals(List.of(Duration.ofSeconds(12)), fx.sleeps);
  }

  @Test
  void retriesAreBounded() throws Exception {
    failFirst("GET", "/v2/team/app/manifests/v1", 100, 500, null);
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(registry.host(), fx.settings()).fetchManifest("v1"));
    assertEquals(RegistryException.Kind.UNREACHABLE, e.kind());
    assertEquals("registry " + registry.host() + " failed with HTTP 500 for manifest "
        + registry.host() + "/team/app:v1: UNAVAILABLE: busy", e.getMessage());
    assertEquals(5, registry.server.requests("GET", ".*/manifests/v1").size());
    assertEquals(4, fx.sleeps.size());
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    AtomicInteger n = new AtomicInteger();
    registry.server.route("GET", "/v2/team/app/manifests/v1", ex -> {
      if (n.incrementAndGet() == 1) {
        ex.drop();
        return;
      }
      ex.responseHeader("Content-Type", MediaTypes.OCI_MANIFEST);
      ex.bytes(200, MANIFEST);
    });
    assertEquals(Digest.sha256(MANIFEST),
        repo(registry.host(), fx.settings()).fetchManifest("v1").digest());
  }

  @Test
  void unreachableNamesHostAndCause() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String host = "127.0.0.1:" + port;
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(host, fx.settings()).fetchManifest("v1"));
    assertEquals(RegistryException.Kind.UNREACHABLE, e.kind());
    assertEquals("cannot reach registry " + host + " (repository " + host
        + "/team/app): connection refused", e.getMessage());
    assertEquals(4, fx.sleeps.size(), "connection errors are retried");
  }

  @Test
  void forbiddenIsDenied() throws Exception {
    registry.server.route("*", "/v2/team/app/blobs/uploads/", ex -> ex.json(403,
        "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is "
            + "denied\"}]}"));
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(registry.host(), fx.settings()).pushBlob(TestBlobs.stream(new byte[] {1}),
            Optional.empty(), io.zlayer.application.port.TransferListener.NONE));
    assertEquals(RegistryException.Kind.DENIED, e.kind());
    assertEquals("access to " + registry.host() + "/team/app denied (push): DENIED: requested "
        + "access to the resource is denied", e.getMessage());
    assertTrue(e.hint().isPresent());
  }

  @Test
  void traceShowsMethodUrlStatusAndOnlyTheAuthScheme() throws Exception {
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        "dave:d4ve-secret".getBytes(StandardCharsets.UTF_8));
    registry.authorized = basic::equals;
    new HttpRegistry(Fixtures.login("dave", "d4ve-secret"), fx.settings())
        .repository(Fixtures.ref(registry.host(), "team/app"), RegistryOptions.DEFAULT, false)
        .fetchManifest("v1");
    assertEquals(List.of("GET http://" + registry.host() + "/v2/ -> 401",
        "GET http://" + registry.host() + "/v2/team/app/manifests/v1 [Authorization: Basic ****]"
            + " -> 200"), fx.trace);
  }

  /** Every text a failure produces: messages, hints, causes, stack traces, trace lines. */
  private static String everything(Throwable e, List<String> trace) {
    StringWriter sw = new StringWriter();
    e.printStackTrace(new PrintWriter(sw));
    StringBuilder sb = new StringBuilder(sw.toString());
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append('\n').append(t).append('\n').append(t.getMessage());
      if (t instanceof RegistryException r) {
        sb.append('\n').append(r.hint().orElse(""));
      }
    }
    trace.forEach(l -> sb.append('\n').append(l));
    return sb.toString();
  }

  @Test
  void noSecretInAnyMessageHintCauseOrTraceLine() throws Exception {
    String user = "erin";
    String password = "Sup3r-Secret-PW";
    String basic = Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
    List<String> secrets = new ArrayList<>(List.of(password, basic, "refresh-token-secret"));
    List<String> texts = new ArrayList<>();
    try (TokenServer tokens = new TokenServer()) {
      tokens.user = user;
      tokens.password = password;
      registry.challenge = tokens.challenge("svc");
      registry.authorized = tokens::accepts;
      RegistryRepository ok = new HttpRegistry(Fixtures.login(user, password), fx.settings())
          .repository(Fixtures.ref(registry.host(), "team/app"), RegistryOptions.DEFAULT, true);
      ok.fetchManifest("v1");
      secrets.addAll(tokens.valid);

      // 1. the registry echoes the Authorization it got in its error message
      registry.server.route("GET", "/v2/team/app/manifests/echo", ex -> ex.json(400,
          "{\"errors\":[{\"code\":\"BAD\",\"message\":\"bad header " + ex.header(
              "Authorization") + " and " + password + "\"}]}"));
      RegistryException echo = assertThrows(RegistryException.class,
          () -> ok.fetchManifest("echo"));
      texts.add(everything(echo, fx.trace));
      assertTrue(echo.getMessage().contains("bad header Bearer ****"), echo.getMessage());

      // 2. wrong password at the token service
      RegistryException wrong = assertThrows(RegistryException.class, () -> new HttpRegistry(
          Fixtures.none(), fx.settings()).repository(Fixtures.ref(registry.host(), "team/app"),
              new RegistryOptions(Optional.of(Credentials.basic(user, password + "x")), Set.of()),
              false).fetchManifest("v1"));
      texts.add(everything(wrong, fx.trace));

      // 3. a refused identity token
      RegistryException refresh = assertThrows(RegistryException.class, () -> new HttpRegistry(
          Fixtures.none(), fx.settings()).repository(Fixtures.ref(registry.host(), "team/app"),
              new RegistryOptions(Optional.of(Credentials.identityToken("refresh-token-secretX")),
                  Set.of()), false).fetchManifest("v1"));
      texts.add(everything(refresh, fx.trace));
      secrets.add("refresh-token-secretX");

      // 4. the token service fails and echoes the password
      tokens.server.route("GET", "/token", ex -> ex.json(500, "{\"details\":\"boom " + password
          + "\"}"));
      RegistryException tokenDown = assertThrows(RegistryException.class, () -> new HttpRegistry(
          Fixtures.login(user, password), fx.settings()).repository(
              Fixtures.ref(registry.host(), "team/other"), RegistryOptions.DEFAULT, false)
          .fetchManifest("v1"));
      texts.add(everything(tokenDown, fx.trace));
    }
    // 5. the token service is gone
    RegistryException gone = assertThrows(RegistryException.class, () -> new HttpRegistry(
        Fixtures.login(user, password), fx.settings()).repository(
            Fixtures.ref(registry.host(), "team/app"), RegistryOptions.DEFAULT, false)
        .fetchManifest("v1"));
    texts.add(everything(gone, fx.trace));
    assertEquals(RegistryException.Kind.UNREACHABLE, gone.kind());
    assertTrue(gone.getMessage().startsWith("cannot reach token service 127.0.0.1:"),
        gone.getMessage());

    assertEquals(6, texts.size() + 1);
    for (String text : texts) {
      for (String secret : secrets) {
        assertFalse(text.contains(secret), "secret " + secret + " leaked in:\n" + text);
      }
    }
    for (String line : fx.trace) {
      for (String secret : secrets) {
        assertFalse(line.contains(secret), line);
      }
    }
  }
}
