package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries on a non-loopback address of this machine: verified TLS, TLS failures with the
 * {@code --insecure-registry} hint, insecure registries (no verification, HTTP fallback) and
 * plain HTTP refused where it is not allowed.
 */
class RemoteHostTest {
  private static InetAddress address;
  private static SSLContext serverTls;
  private static SSLContext clientTrust;
  @TempDir
  static Path tmp;

  private FakeDistribution registry;
  private final Fixtures fx = new Fixtures();

  @BeforeAll
  static void setUp() throws Exception {
    address = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(RemoteHostTest::usable)
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .findFirst().orElse(null);
    Assumptions.assumeTrue(address != null,
        "no non-loopback IPv4 address on this machine; skipping the remote-host tests");
    Path ks = tmp.resolve("registry.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "registry",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=zlayer-test",
        "-ext", "SAN=ip:" + address.getHostAddress(), "-validity", "2", "-storetype", "PKCS12",
        "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    clientTrust = SSLContext.getInstance("TLS");
    clientTrust.init(null, tmf.getTrustManagers(), null);
  }

  private static boolean usable(NetworkInterface i) {
    try {
      return i.isUp() && !i.isLoopback();
    } catch (java.net.SocketException e) {
      return false;
    }
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (front != null) {
      front.close();
    }
  }

  /** The registry's address as clients use it (the Go-like front for plain HTTP). */
  private String host;
  private FaultProxy front;

  private FakeDistribution start(boolean tls) throws Exception {
    if (tls) {
      registry = new FakeDistribution(new FakeServer(address, serverTls));
      host = registry.host();
    } else {
      registry = new FakeDistribution();
      front = new FaultProxy(address, registry.server.port(), h -> new FaultProxy.Pass(), true);
      host = front.host();
    }
    registry.putBlob("team/app", new byte[] {1, 2, 3});
    return registry;
  }

  private RegistryRepository repo(RegistryClientSettings s, Set<String> insecure)
      throws RegistryException {
    return new HttpRegistry(Fixtures.none(), s).repository(
        Fixtures.ref(host, "team/app"),
        new RegistryOptions(java.util.Optional.empty(), insecure), false);
  }

  private static final Digest BLOB = Digest.sha256(new byte[] {1, 2, 3});

  @Test
  void verifiedTlsWorks() throws Exception {
    start(true);
    assertTrue(repo(fx.settings().withTls(clientTrust), Set.of()).hasBlob(BLOB));
    assertTrue(fx.trace.get(0).startsWith("GET https://" + registry.host() + "/v2/ -> 200"),
        fx.trace.toString());
  }

  @Test
  void anUntrustedCertificateFailsWithTheInsecureRegistryHint() throws Exception {
    start(true);
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(fx.settings(), Set.of()).hasBlob(BLOB));
    assertEquals(RegistryException.Kind.UNREACHABLE, e.kind());
    assertTrue(e.getMessage().startsWith("TLS connection to registry " + registry.host()
        + " failed: "), e.getMessage());
    assertEquals("if " + registry.host() + " serves plain HTTP or uses a self-signed "
        + "certificate, pass --insecure-registry " + registry.host(), e.hint().orElseThrow());
    assertTrue(fx.sleeps.isEmpty(), "TLS failures are not retried");
  }

  @Test
  void anInsecureRegistrySkipsCertificateChecks() throws Exception {
    start(true);
    assertTrue(repo(fx.settings(), Set.of(registry.host())).hasBlob(BLOB));
  }

  @Test
  void plainHttpIsNotTriedForSecureRegistries() throws Exception {
    start(false);
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(fx.settings(), Set.of()).hasBlob(BLOB));
    assertEquals(RegistryException.Kind.UNREACHABLE, e.kind());
    assertTrue(e.getMessage().startsWith("TLS connection to registry"), e.getMessage());
    assertTrue(e.hint().orElseThrow().contains("--insecure-registry " + host));
    assertTrue(registry.server.requests().isEmpty(), "no plain HTTP request was made");
    assertEquals(0, front.requests(), "no plain HTTP request was made");
  }

  @Test
  void anInsecureRegistryFallsBackToPlainHttp() throws Exception {
    start(false);
    assertTrue(repo(fx.settings(), Set.of(address.getHostAddress())).hasBlob(BLOB));
    assertTrue(fx.trace.get(0).startsWith("GET https://" + host + "/v2/ -> failed"),
        fx.trace.toString());
    assertEquals("GET http://" + host + "/v2/ -> 200", fx.trace.get(1));
  }

  @Test
  void aPlainHttpTokenRealmIsRefusedForASecureRegistry() throws Exception {
    start(true);
    try (TokenServer tokens = new TokenServer();
        FakeServer tokenOnThisHost = new FakeServer(address, null)) {
      registry.challenge = "Bearer realm=\"" + tokenOnThisHost.uri("/token") + "\",service=\"x\"";
      registry.authorized = tokens::accepts;
      RegistryException e = assertThrows(RegistryException.class,
          () -> repo(fx.settings().withTls(clientTrust), Set.of()).hasBlob(BLOB));
      assertEquals(RegistryException.Kind.INSECURE_REFUSED, e.kind());
      assertEquals("refusing plain HTTP to " + tokenOnThisHost.host() + " for the token service of "
          + registry.host() + ": " + registry.host() + " is not an insecure registry",
          e.getMessage());
      assertTrue(tokenOnThisHost.requests().isEmpty());
    }
  }

  @Test
  void aRedirectToPlainHttpStorageIsRefusedForASecureRegistry() throws Exception {
    start(true);
    try (FakeServer storage = new FakeServer(address, null)) {
      storage.route("GET", "/storage/(.+)", ex -> ex.bytes(200, new byte[] {1, 2, 3}));
      registry.storage = storage;
      RegistryException e = assertThrows(RegistryException.class,
          () -> repo(fx.settings().withTls(clientTrust), Set.of()).fetchBlob(
              Descriptor.of("x", BLOB, 3), new TestBlobs.MemoryWriter(), TransferListener.NONE));
      assertEquals(RegistryException.Kind.INSECURE_REFUSED, e.kind());
      assertTrue(e.getMessage().startsWith("refusing plain HTTP to " + storage.host()),
          e.getMessage());
      assertTrue(storage.requests().isEmpty());
    }
  }
}
