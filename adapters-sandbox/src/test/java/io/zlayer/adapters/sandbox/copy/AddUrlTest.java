package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zlayer.adapters.sandbox.layer.FileType;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADD of URLs, against a JDK HTTP server on the loopback interface. */
class AddUrlTest {
  private static final String LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT";
  private static final long LAST_MODIFIED_EPOCH = 1_445_412_480L;

  @TempDir
  Path tmp;
  CopyFixture f;
  HttpServer server;
  String base;
  final Map<String, byte[]> content = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    f = new CopyFixture(tmp);
    f.layer();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    content.put("/plain.txt", "plain content".getBytes(StandardCharsets.UTF_8));
    content.put("/dir/", "index".getBytes(StandardCharsets.UTF_8));
    content.put("/", "root index".getBytes(StandardCharsets.UTF_8));
    content.put("/app.tar.gz", new TarBuilder().file("inside.txt", "unpacked")
        .compressed(TarBuilder.Compression.GZIP));
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    if (path.startsWith("/redirect")) {
      exchange.getResponseHeaders().add("Location", base + "/plain.txt");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
      return;
    }
    byte[] body = content.get(path);
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    if (path.equals("/plain.txt")) {
      exchange.getResponseHeaders().add("Last-Modified", LAST_MODIFIED);
    }
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private int hits(String path) {
    return hits.getOrDefault(path, new AtomicInteger()).get();
  }

  private static String sha256(byte[] data) {
    return Digest.sha256(data).toString();
  }

  @Test
  void downloadsIntoADirectoryWithMode0600AndTheServersTime() throws Exception {
    f.copy(Step.add(base + "/plain.txt", "/d/"));
    assertEquals("plain content", f.read("/d/plain.txt"));
    assertEquals(0600, f.meta("/d/plain.txt").permissions());
    assertEquals(LAST_MODIFIED_EPOCH, f.meta("/d/plain.txt").mtime().toInstant()
        .getEpochSecond());
    f.copy(Step.add(base + "/plain.txt", "/named"));
    assertEquals("plain content", f.read("/named"));
    f.copy(Step.add(base + "/dir/", "/u/"));
    assertEquals("index", f.read("/u/dir"), "Go's path.Base drops the trailing slash");
    f.copy(Step.add(base + "/", "/v/"));
    assertEquals("root index", f.read("/v/__unnamed__"));
  }

  @Test
  void checksumsAreVerified() throws Exception {
    String good = sha256(content.get("/plain.txt"));
    f.copy(Step.add(base + "/plain.txt", "/ok").checksum(good));
    assertEquals("plain content", f.read("/ok"));
    String bad = "sha256:" + "0".repeat(64);
    assertEquals("Dockerfile:7: ADD failed: checksum mismatch for " + base + "/plain.txt:"
        + " expected " + bad + ", got " + good,
        f.failure(Step.add(base + "/plain.txt", "/bad").checksum(bad)));
    assertEquals("Dockerfile:7: ADD failed: invalid checksum digest format: md5:abc",
        f.failure(Step.add(base + "/plain.txt", "/bad").checksum("md5:abc")));
  }

  @Test
  void redirectsAreFollowedAndNameTheFileAfterTheAskedPath() throws Exception {
    f.copy(Step.add(base + "/redirect", "/r/"));
    assertEquals("plain content", f.read("/r/redirect"));
  }

  @Test
  void urlsAreNotUnpackedUnlessAsked() throws Exception {
    f.copy(Step.add(base + "/app.tar.gz", "/a/"));
    assertEquals(FileType.REGULAR, f.meta("/a/app.tar.gz").type());
    f.copy(Step.add(base + "/app.tar.gz", "/b/").unpack(true));
    assertEquals("unpacked", f.read("/b/inside.txt"));
  }

  @Test
  void httpErrorsFail() throws Exception {
    assertEquals("Dockerfile:7: ADD failed: failed to GET " + base + "/missing with status 404",
        f.failure(Step.add(base + "/missing", "/m")));
  }

  @Test
  void theDigestCoversTheDownloadWhichTheCopyReuses() throws Exception {
    Step step = Step.add(base + "/plain.txt", "/d/");
    Digest first = f.copier.sourceDigest(f.request(step));
    f.copier.copy(f.request(step));
    assertEquals(1, hits("/plain.txt"), "the copy used what the digest downloaded");
    assertEquals("plain content", f.read("/d/plain.txt"));
    content.put("/plain.txt", "changed".getBytes(StandardCharsets.UTF_8));
    Digest second = f.copier.sourceDigest(f.request(step));
    assertNotEquals(first, second);
  }

  @Test
  void withAChecksumTheDigestNeedsNoDownload() throws Exception {
    String good = sha256(content.get("/plain.txt"));
    Step step = Step.add(base + "/plain.txt", "/d/").checksum(good);
    Digest d = f.copier.sourceDigest(f.request(step));
    assertEquals(0, hits("/plain.txt"));
    assertEquals(d, f.copier.sourceDigest(f.request(step)));
    f.copier.copy(f.request(step));
    assertEquals(1, hits("/plain.txt"));
    assertTrue(f.exists("/d/plain.txt"));
  }
}
