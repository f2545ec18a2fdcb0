package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobTransferTest {
  private FakeDistribution registry;
  private final Fixtures fx = new Fixtures();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  @TempDir
  Path tmp;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeDistribution();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    registry.close();
  }

  private RegistryRepository repo(String host, RegistryClientSettings settings, boolean push)
      throws RegistryException {
    return new HttpRegistry(Fixtures.none(), settings)
        .repository(Fixtures.ref(host, "team/app"), RegistryOptions.DEFAULT, push);
  }

  private RegistryRepository repo(RegistryClientSettings settings) throws RegistryException {
    return repo(registry.host(), settings, true);
  }

  private FaultProxy proxy(Function<FaultProxy.Head, FaultProxy.Fault> plan) throws IOException {
    FaultProxy p = new FaultProxy(registry.server.port(), plan);
    closeables.add(p);
    return p;
  }

  /** Applies {@code fault} to the {@code nth} (1-based) request matching method and path. */
  private static Function<FaultProxy.Head, FaultProxy.Fault> nth(String method, String pathPart,
      int nth, FaultProxy.Fault fault) {
    AtomicInteger seen = new AtomicInteger();
    return head -> head.method().equals(method) && head.target().contains(pathPart)
        && seen.incrementAndGet() == nth ? fault : new FaultProxy.Pass();
  }

  /**
   * Settings whose backoff waits until the registry has taken in {@code bytes} of the broken
   * upload, so the client's status request does not race the server's handling of the cut.
   */
  private RegistryClientSettings settledAt(long bytes) {
    RetryPolicy retry = fx.settings().retry().withSleeper(d -> {
      fx.sleeps.add(d);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (registry.uploads.values().stream().noneMatch(u -> u.size() == bytes)
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    });
    return fx.settings().withRetry(retry).withChunking(1000, 300);
  }

  private static Descriptor descriptor(byte[] content) {
    return Descriptor.of("application/vnd.oci.image.layer.v1.tar", Digest.sha256(content),
        content.length);
  }

  @Test
  void smallBlobsGoInOnePutWithContentLength() throws Exception {
    byte[] content = TestBlobs.random(5000, 1);
    AtomicLong progress = new AtomicLong();
    repo(fx.settings()).pushBlob(TestBlobs.stream(content), Optional.empty(),
        (done, total) -> progress.set(done));
    assertTrue(registry.hasBlob("team/app", Digest.sha256(content)));
    List<FakeServer.Seen> puts = registry.server.requests("PUT", ".*/blobs/uploads/.*");
    assertEquals(1, puts.size());
    assertEquals("5000", puts.get(0).header("Content-Length"));
    assertEquals("application/octet-stream", puts.get(0).header("Content-Type"));
    assertTrue(puts.get(0).uri().getRawQuery().contains("digest=sha256%3A"));
    assertTrue(registry.server.requests("PATCH", ".*").isEmpty());
    assertEquals(5000, progress.get());
  }

  @Test
  void fileBackedSmallBlobUploadsTheFile() throws Exception {
    byte[] content = TestBlobs.random(3000, 2);
    Path f = Files.write(tmp.resolve("layer"), content);
    repo(fx.settings()).pushBlob(TestBlobs.file(f), Optional.empty(), TransferListener.NONE);
    assertArrayEquals(content, registry.blobs.get(Digest.sha256(content).toString()));
  }

  @Test
  void existingBlobsAreNotUploadedAgain() throws Exception {
    byte[] content = TestBlobs.random(100, 3);
    registry.putBlob("team/app", content);
    repo(fx.settings()).pushBlob(TestBlobs.stream(content), Optional.of("team/other"),
        TransferListener.NONE);
    assertTrue(registry.server.requests("POST", ".*").isEmpty());
  }

  private void chunkedUpload(Blob blob, byte[] content) throws Exception {
    RegistryClientSettings s = fx.settings().withChunking(1000, 300);
    List<Long> progress = new ArrayList<>();
    repo(s).pushBlob(blob, Optional.empty(), (done, total) -> progress.add(done));
    assertArrayEquals(content, registry.blobs.get(Digest.sha256(content).toString()));
    List<FakeServer.Seen> patches = registry.server.requests("PATCH", ".*");
    assertEquals(List.of("0-299", "300-599", "600-899", "900-1099"),
        patches.stream().map(p -> p.header("Content-Range")).toList());
    // every PATCH went to the Location the previous answer gave (its _state is the offset)
    assertEquals(List.of("_state=0", "_state=300", "_state=600", "_state=900"),
        patches.stream().map(p -> p.uri().getRawQuery()).toList());
    List<FakeServer.Seen> puts = registry.server.requests("PUT", ".*");
    assertEquals(1, puts.size());
    assertEquals("0", puts.get(0).header("Content-Length"));
    assertTrue(puts.get(0).uri().getRawQuery().startsWith("_state=1100&digest="));
    assertEquals(1100L, progress.get(progress.size() - 1));
  }

  @Test
  void largeStreamedBlobsGoInBoundedChunksFollowingLocation() throws Exception {
    byte[] content = TestBlobs.random(1100, 4);
    chunkedUpload(TestBlobs.stream(content), content);
  }

  @Test
  void largeFileBlobsGoInBoundedChunksFollowingLocation() throws Exception {
    byte[] content = TestBlobs.random(1100, 5);
    chunkedUpload(TestBlobs.file(Files.write(tmp.resolve("big"), content)), content);
  }

  @Test
  void chunksContinueFromTheOffsetTheRegistryReports() throws Exception {
    registry.acceptPerPatch = 200;
    byte[] content = TestBlobs.random(1100, 6);
    repo(fx.settings().withChunking(1000, 300)).pushBlob(TestBlobs.stream(content),
        Optional.empty(), TransferListener.NONE);
    assertArrayEquals(content, registry.blobs.get(Digest.sha256(content).toString()));
    List<String> ranges = registry.server.requests("PATCH", ".*").stream()
        .map(p -> p.header("Content-Range")).toList();
    assertEquals(List.of("0-299", "200-499", "400-699", "600-899", "800-1099", "1000-1099"),
        ranges);
  }

  @Test
  void aRegistryThatTakesNothingEndsTheUploadInsteadOfLoopingForever() throws Exception {
    registry.acceptPerPatch = 0;
    byte[] content = TestBlobs.random(1100, 22);
    RegistryException e = assertThrows(RegistryException.class, () -> repo(fx.settings()
        .withChunking(1000, 300)).pushBlob(TestBlobs.stream(content), Optional.empty(),
            TransferListener.NONE));
    assertEquals(RegistryException.Kind.UNREACHABLE, e.kind());
    // the empty upload's "Range: 0-0" reads as one byte taken, then the registry refuses
    // byte 1 (416) and reports "0-0" again: no new ground, so the failures add up
    assertTrue(e.getMessage().startsWith("upload of " + registry.host() + "/team/app@"
        + Digest.sha256(content) + " to " + registry.host() + " failed 5 times in a row"),
        e.getMessage());
  }

  @Test
  void chunksAreAtLeastTheRegistrysMinimum() throws Exception {
    registry.minChunk = 500;
    byte[] content = TestBlobs.random(1100, 7);
    repo(fx.settings().withChunking(1000, 300)).pushBlob(TestBlobs.stream(content),
        Optional.empty(), TransferListener.NONE);
    assertEquals(List.of("0-499", "500-999", "1000-1099"), registry.server
        .requests("PATCH", ".*").stream().map(p -> p.header("Content-Range")).toList());
  }

  @Test
  void aDroppedPatchResumesAtTheOffsetTheUploadUrlReports() throws Exception {
    registry.strictUploadState = false;
    FaultProxy p = proxy(nth("PATCH", "/blobs/uploads/", 2, new FaultProxy.CutRequest(100)));
    byte[] content = TestBlobs.random(1100, 8);
    repo(p.host(), settledAt(400), true)
        .pushBlob(TestBlobs.stream(content), Optional.empty(), TransferListener.NONE);
    assertArrayEquals(content, registry.blobs.get(Digest.sha256(content).toString()));
    assertEquals(1, registry.uploadsStarted.get(), "the upload was resumed, not restarted");
    assertEquals(1, registry.server.requests("GET", ".*/blobs/uploads/.*").size());
    List<String> ranges = registry.server.requests("PATCH", ".*").stream()
        .map(s -> s.header("Content-Range")).toList();
    assertEquals(List.of("0-299", "300-599", "400-699", "700-999", "1000-1099"), ranges);
    assertEquals(1, fx.sleeps.size(), "one backoff");
  }

  @Test
  void aDroppedFileChunkResumesToo() throws Exception {
    registry.strictUploadState = false;
    FaultProxy p = proxy(nth("PATCH", "/blobs/uploads/", 3, new FaultProxy.CutRequest(10)));
    byte[] content = TestBlobs.random(1100, 9);
    Blob blob = TestBlobs.file(Files.write(tmp.resolve("f"), content));
    repo(p.host(), settledAt(610), true)
        .pushBlob(blob, Optional.empty(), TransferListener.NONE);
    assertArrayEquals(content, registry.blobs.get(Digest.sha256(content).toString()));
    assertEquals(1, registry.uploadsStarted.get());
    assertEquals(List.of("0-299", "300-599", "600-899", "610-909", "910-1099"), registry.server
        .requests("PATCH", ".*").stream().map(s -> s.header("Content-Range")).toList());
  }

  @Test
  void whenTheRegistryCancelsAStaleUploadItStartsOver() throws Exception {
    // CNCF distribution cancels an upload addressed with a stale _state (after a partial PATCH)
    FaultProxy p = proxy(nth("PATCH", "/blobs/uploads/", 2, new FaultProxy.CutRequest(100)));
    byte[] content = TestBlobs.random(1100, 10);
    repo(p.host(), settledAt(400), true)
        .pushBlob(TestBlobs.stream(content), Optional.empty(), TransferListener.NONE);
    assertArrayEquals(content, registry.blobs.get(Digest.sha256(content).toString()));
    assertEquals(2, registry.uploadsStarted.get());
  }

  @Test
  void aLostUploadRestartsAndAResponseDroppedAfterTheFinalPutIsNoticed() throws Exception {
    FaultProxy p = proxy(nth("PUT", "/blobs/uploads/", 1, new FaultProxy.CutResponse(0.1)));
    byte[] content = TestBlobs.random(2000, 11);
    repo(p.host(), fx.settings(), true).pushBlob(TestBlobs.stream(content), Optional.empty(),
        TransferListener.NONE);
    assertArrayEquals(content, registry.blobs.get(Digest.sha256(content).toString()));
    assertEquals(1, registry.uploadsStarted.get(), "the HEAD after the failure found the blob");
  }

  @Test
  void monolithicUploadRetriesWithAFreshSessionAfter503() throws Exception {
    FaultProxy p = proxy(nth("PUT", "/blobs/uploads/", 1, new FaultProxy.Status(503, 2)));
    byte[] content = TestBlobs.random(2000, 12);
    repo(p.host(), fx.settings(), true).pushBlob(TestBlobs.stream(content), Optional.empty(),
        TransferListener.NONE);
    assertArrayEquals(content, registry.blobs.get(Digest.sha256(content).toString()));
    assertEquals(2, registry.uploadsStarted.get());
    assertEquals(List.of(Duration.ofSeconds(2)), fx.sleeps, "Retry-After honoured");
  }

  @Test
  void aMountThatFailsContinuesOnTheUploadItStarted() throws Exception {
    byte[] content = TestBlobs.random(500, 13);
    repo(fx.settings()).pushBlob(TestBlobs.stream(content), Optional.of("team/elsewhere"),
        TransferListener.NONE);
    assertTrue(registry.hasBlob("team/app", Digest.sha256(content)));
    assertEquals(1, registry.server.requests("POST", ".*").size());
    assertEquals(1, registry.uploadsStarted.get());
  }

  @Test
  void contentThatDoesNotMatchItsDigestIsRejected() throws Exception {
    byte[] content = TestBlobs.random(500, 14);
    Digest wrong = Digest.sha256(new byte[] {1});
    Blob lying = new Blob() {
      @Override
      public Digest digest() {
        return wrong;
      }

      @Override
      public long size() {
        return content.length;
      }

      @Override
      public InputStream open() {
        return new java.io.ByteArrayInputStream(content);
      }
    };
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(fx.settings()).pushBlob(lying, Optional.empty(), TransferListener.NONE));
    assertEquals(RegistryException.Kind.DIGEST_MISMATCH, e.kind());
  }

  @Test
  void aBlobThatCannotBeReadFailsWithoutRetrying() throws Exception {
    Blob broken = new Blob() {
      @Override
      public Digest digest() {
        return Digest.sha256(new byte[] {1});
      }

      @Override
      public long size() {
        return 4000;
      }

      @Override
      public InputStream open() {
        return new InputStream() {
          int n;

          @Override
          public int read() throws IOException {
            if (n++ > 100) {
              throw new IOException("disk on fire");
            }
            return 0;
          }
        };
      }
    };
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(fx.settings()).pushBlob(broken, Optional.empty(), TransferListener.NONE));
    assertTrue(e.getMessage().startsWith("cannot read blob sha256:"), e.getMessage());
    assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
    assertTrue(fx.sleeps.isEmpty());
  }

  @Test
  void downloadStreamsAndVerifies() throws Exception {
    byte[] content = TestBlobs.random(300_000, 15);
    registry.putBlob("team/app", content);
    TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
    List<Long> progress = new ArrayList<>();
    repo(fx.settings()).fetchBlob(descriptor(content), w, (d, t) -> progress.add(d));
    assertArrayEquals(content, w.bytes());
    assertEquals(300_000L, progress.get(progress.size() - 1));
  }

  @Test
  void aDroppedDownloadResumesWithRange() throws Exception {
    byte[] content = TestBlobs.random(200_000, 16);
    registry.putBlob("team/app", content);
    FaultProxy p = proxy(nth("GET", "/blobs/sha256", 1, new FaultProxy.CutResponse(0.5)));
    TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
    repo(p.host(), fx.settings(), false).fetchBlob(descriptor(content), w,
        TransferListener.NONE);
    assertArrayEquals(content, w.bytes());
    assertEquals(0, w.resets.get());
    List<FakeServer.Seen> gets = registry.server.requests("GET", ".*/blobs/sha256.*");
    assertEquals(2, gets.size());
    String range = gets.get(1).header("Range");
    assertTrue(range != null && range.matches("bytes=\\d+-"), range);
    assertTrue(Long.parseLong(range.substring(6, range.length() - 1)) > 50_000, range);
  }

  @Test
  void withoutRangeSupportTheWriterIsResetAndTheDownloadRestarts() throws Exception {
    registry.rangeSupport = false;
    byte[] content = TestBlobs.random(200_000, 17);
    registry.putBlob("team/app", content);
    FaultProxy p = proxy(nth("GET", "/blobs/sha256", 1, new FaultProxy.CutResponse(0.5)));
    TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
    repo(p.host(), fx.settings(), false).fetchBlob(descriptor(content), w,
        TransferListener.NONE);
    assertArrayEquals(content, w.bytes());
    assertEquals(1, w.resets.get());
  }

  @Test
  void aDownloadThatAlwaysDiesAtTheSameByteWithoutRangesGivesUp() throws Exception {
    registry.rangeSupport = false;
    byte[] content = TestBlobs.random(100_000, 23);
    registry.putBlob("team/app", content);
    FaultProxy p = proxy(head -> head.method().equals("GET") && head.target().contains("/blobs/")
        ? new FaultProxy.CutResponse(0.5) : new FaultProxy.Pass());
    TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
    RegistryException e = assertThrows(RegistryException.class, () -> repo(p.host(),
        fx.settings(), false).fetchBlob(descriptor(content), w, TransferListener.NONE));
    assertEquals(RegistryException.Kind.UNREACHABLE, e.kind());
    assertTrue(e.getMessage().startsWith("cannot reach registry " + p.host() + " (blob "),
        e.getMessage());
    // our attempts (the JDK client may add one of its own when a reset beats the headers)
    assertEquals(5, fx.trace.stream().filter(l -> l.startsWith("GET ")
        && l.contains("/blobs/sha256:")).count(), fx.trace.toString());
  }

  @Test
  void redirectsToStorageDoNotCarryTheRegistrysAuthorization() throws Exception {
    byte[] content = TestBlobs.random(10_000, 18);
    registry.putBlob("team/app", content);
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        "carol:c4rol-secret".getBytes(StandardCharsets.UTF_8));
    registry.authorized = basic::equals;
    FakeServer storage = new FakeServer();
    closeables.add(storage);
    storage.route("GET", "/storage/(.+)", ex -> FakeDistribution.serveBlob(ex,
        registry.blobs.get(ex.group(1)), ex.group(1), true));
    registry.storage = storage;
    TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
    new HttpRegistry(Fixtures.login("carol", "c4rol-secret"), fx.settings())
        .repository(Fixtures.ref(registry.host(), "team/app"), RegistryOptions.DEFAULT, false)
        .fetchBlob(descriptor(content), w, TransferListener.NONE);
    assertArrayEquals(content, w.bytes());
    assertEquals(basic, registry.server.requests("GET", ".*/blobs/.*").get(0)
        .header("Authorization"));
    List<FakeServer.Seen> atStorage = storage.requests();
    assertEquals(1, atStorage.size());
    assertEquals(null, atStorage.get(0).header("Authorization"));
    assertTrue(fx.trace.stream().anyMatch(l -> l.contains("/storage/") && l.contains("?…")),
        fx.trace.toString());
    assertFalse(fx.trace.stream().anyMatch(l -> l.contains("s3cr3tsig")), fx.trace.toString());
  }

  @Test
  void aStalledDownloadIsCutAndResumed() throws Exception {
    byte[] content = TestBlobs.random(100_000, 19);
    registry.putBlob("team/app", content);
    AtomicInteger calls = new AtomicInteger();
    registry.server.route("GET", "/v2/team/app/blobs/(sha256:[0-9a-f]+)", ex -> {
      if (calls.incrementAndGet() == 1) {
        ex.exchange.sendResponseHeaders(200, content.length);
        ex.exchange.getResponseBody().write(content, 0, 1000);
        ex.exchange.getResponseBody().flush();
        try {
          Thread.sleep(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      FakeDistribution.serveBlob(ex, content, ex.group(1), true);
    });
    RegistryClientSettings s = fx.settings().withTimeouts(Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofMillis(300));
    TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
    long t0 = System.nanoTime();
    repo(s).fetchBlob(descriptor(content), w, TransferListener.NONE);
    assertArrayEquals(content, w.bytes());
    assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "the stall was cut early");
    assertEquals("bytes=1000-", registry.server.requests("GET", ".*/blobs/sha256.*").get(1)
        .header("Range"));
  }

  @Test
  void downloadsWithTheWrongContentOrSizeFail() throws Exception {
    byte[] content = TestBlobs.random(1000, 20);
    registry.putBlob("team/app", content);
    Descriptor claimsOther = Descriptor.of("x", Digest.sha256(content), 999);
    RegistryException big = assertThrows(RegistryException.class, () -> repo(fx.settings())
        .fetchBlob(claimsOther, new TestBlobs.MemoryWriter(), TransferListener.NONE));
    assertEquals(RegistryException.Kind.DIGEST_MISMATCH, big.kind());
    assertTrue(big.getMessage().contains("larger than its descriptor's size of 999"),
        big.getMessage());

    byte[] other = TestBlobs.random(1000, 21);
    Digest otherDigest = Digest.sha256(other);
    registry.blobs.put(otherDigest.toString(), content);
    registry.repoBlobs.get("team/app").add(otherDigest.toString());
    RegistryException wrong = assertThrows(RegistryException.class, () -> repo(fx.settings())
        .fetchBlob(Descriptor.of("x", otherDigest, 1000), new TestBlobs.MemoryWriter(),
            TransferListener.NONE));
    assertEquals(RegistryException.Kind.DIGEST_MISMATCH, wrong.kind());
    assertEquals("blob " + registry.host() + "/team/app@" + otherDigest
        + " downloaded with digest " + Digest.sha256(content), wrong.getMessage());
  }

  @Test
  void missingBlobIsNotFound() throws Exception {
    Digest d = Digest.sha256(new byte[] {42});
    RegistryException e = assertThrows(RegistryException.class, () -> repo(fx.settings())
        .fetchBlob(Descriptor.of("x", d, 1), new TestBlobs.MemoryWriter(),
            TransferListener.NONE));
    assertEquals(RegistryException.Kind.NOT_FOUND, e.kind());
    assertEquals("blob unknown: " + registry.host() + "/team/app@" + d + " not found",
        e.getMessage());
  }
}
