package io.zlayer.adapters.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore.PruneReport;
import io.zlayer.application.port.ImageStore.StoredImage;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreTest {
  @TempDir Path dir;

  private OciLayoutStore store() {
    return new OciLayoutStore(dir.resolve("store"));
  }

  private static ImageReference ref(String s) throws Exception {
    return ImageReference.parse(s);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Path> files(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }

  // ------------------------------------------------------------ blobs

  @Test
  void writerStreamsHashesAndCommitsABlob() throws Exception {
    OciLayoutStore store = store();
    byte[] big = new byte[200_000];
    new java.util.Random(7).nextBytes(big);
    Digest d;
    try (BlobWriter w = store.newBlobWriter()) {
      w.stream().write('a');
      w.stream().write(bytes("bc"));
      w.stream().write(big, 10, 150_000);
      assertEquals(3 + 150_000, w.written());
      d = w.commit(Optional.empty());
    }
    byte[] expected = new byte[3 + 150_000];
    System.arraycopy(bytes("abc"), 0, expected, 0, 3);
    System.arraycopy(big, 10, expected, 3, 150_000);
    assertEquals(Digest.sha256(expected), d);
    Path file = dir.resolve("store/blobs/sha256/" + d.hex());
    assertArrayEquals(expected, Files.readAllBytes(file));
    assertTrue(store.hasBlob(d));
    assertArrayEquals(expected, store.readBlob(d));
    Blob blob = store.blob(d);
    assertEquals(expected.length, blob.size());
    assertEquals(Optional.of(file), blob.file());
    try (InputStream in = blob.open()) {
      assertArrayEquals(expected, in.readAllBytes());
    }
    assertEquals(List.of(), files(dir.resolve("store/.zlayer/ingest")));
    assertEquals("oci:" + dir.resolve("store"), store.location());
  }

  @Test
  void commitChecksTheExpectedDigestInEitherAlgorithm() throws Exception {
    OciLayoutStore store = store();
    byte[] content = bytes("layer content");
    try (BlobWriter w = store.newBlobWriter()) {
      w.stream().write(content);
      assertEquals(Digest.sha256(content), w.commit(Optional.of(Digest.sha256(content))));
    }
    Digest sha512 = new Digest(Digest.SHA512, HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-512").digest(content)));
    try (BlobWriter w = store.newBlobWriter()) {
      w.stream().write(content);
      assertEquals(sha512, w.commit(Optional.of(sha512)));
    }
    assertArrayEquals(content,
        Files.readAllBytes(dir.resolve("store/blobs/sha512/" + sha512.hex())));
    assertArrayEquals(content, store.readBlob(sha512));
  }

  @Test
  void aDigestMismatchStoresNothing() throws Exception {
    OciLayoutStore store = store();
    byte[] content = bytes("what arrived");
    Digest claimed = Digest.sha256(bytes("what was promised"));
    BlobWriter w = store.newBlobWriter();
    w.stream().write(content);
    StoreException e = assertThrows(StoreException.class, () -> w.commit(Optional.of(claimed)));
    assertEquals("blob content does not match its digest: expected " + claimed + ", got "
        + Digest.sha256(content) + " (12 bytes)", e.getMessage());
    assertFalse(store.hasBlob(Digest.sha256(content)));
    assertFalse(store.hasBlob(claimed));
    assertEquals(List.of(), files(dir.resolve("store/blobs/sha256")));
    assertEquals(List.of(), files(dir.resolve("store/.zlayer/ingest")));
    assertThrows(IOException.class, () -> w.stream().write(1));
    w.close();
  }

  @Test
  void closingWithoutCommitDiscards() throws Exception {
    OciLayoutStore store = store();
    try (BlobWriter w = store.newBlobWriter()) {
      w.stream().write(bytes("abandoned"));
      assertEquals(1, files(dir.resolve("store/.zlayer/ingest")).size());
    }
    assertEquals(List.of(), files(dir.resolve("store/.zlayer/ingest")));
    assertFalse(store.hasBlob(Digest.sha256(bytes("abandoned"))));
  }

  @Test
  void resetRestartsTheBlob() throws Exception {
    OciLayoutStore store = store();
    try (BlobWriter w = store.newBlobWriter()) {
      w.stream().write(bytes("garbage from a failed transfer"));
      w.reset();
      assertEquals(0, w.written());
      w.stream().write(bytes("good"));
      assertEquals(4, w.written());
      Digest d = w.commit(Optional.of(Digest.sha256(bytes("good"))));
      assertArrayEquals(bytes("good"), store.readBlob(d));
      assertThrows(IllegalStateException.class, () -> w.commit(Optional.empty()));
    }
  }

  @Test
  void putBlobIsIdempotent() throws Exception {
    OciLayoutStore store = store();
    Digest a = store.putBlob(bytes("{}"));
    Digest b = store.putBlob(bytes("{}"));
    assertEquals(a, b);
    assertEquals(Digest.sha256(bytes("{}")), a);
    assertEquals(1, files(dir.resolve("store/blobs/sha256")).size());
  }

  @Test
  void aCorruptedBlobFileFailsVerificationOnRead() throws Exception {
    OciLayoutStore store = store();
    Digest d = store.putBlob(bytes("the real content"));
    Path file = dir.resolve("store/blobs/sha256/" + d.hex());
    Files.write(file, bytes("the fake content"));
    StoreException e = assertThrows(StoreException.class, () -> store.readBlob(d));
    assertEquals("blob " + d + " in the local store (" + dir.resolve("store") + ") is corrupt:"
        + " its content hashes to " + Digest.sha256(bytes("the fake content")), e.getMessage());
    try (InputStream in = store.blob(d).open()) {
      assertEquals(4, in.readNBytes(4).length); // reading part of it does not check yet
      IOException io = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(io.getMessage().contains("is corrupt"), io.getMessage());
    }
    Blob blob = store.blob(d);
    Files.write(file, bytes("the real"));
    try (InputStream in = blob.open()) {
      IOException io = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(io.getMessage().contains("should have 16 bytes but has 8"), io.getMessage());
    }
  }

  @Test
  void rewritingABlobRepairsADamagedCopy() throws Exception {
    OciLayoutStore store = store();
    Digest d = store.putBlob(bytes("precious"));
    Files.write(dir.resolve("store/blobs/sha256/" + d.hex()), bytes("damaged!"));
    assertEquals(d, store.putBlob(bytes("precious")));
    assertArrayEquals(bytes("precious"), store.readBlob(d));
  }

  @Test
  void readBlobRefusesLayerSizedBlobs() throws Exception {
    OciLayoutStore store = store();
    store.putBlob(bytes("makes the layout"));
    Digest d = Digest.sha256(bytes("stands for a big layer"));
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(
        store.blobPath(d).toFile(), "rw")) {
      f.setLength(OciLayoutStore.READ_WHOLE_LIMIT + 1); // sparse: no disk used
    }
    StoreException e = assertThrows(StoreException.class, () -> store.readBlob(d));
    assertEquals("blob " + d + " in the local store (" + dir.resolve("store") + ") has "
        + (OciLayoutStore.READ_WHOLE_LIMIT + 1) + " bytes, too many to read whole; stream it"
        + " instead", e.getMessage());
  }

  @Test
  void anInterruptFailsOneCallAndTheStoreRecovers() throws Exception {
    OciLayoutStore store = store();
    store.putBlob(bytes("before"));
    Thread.currentThread().interrupt();
    try {
      assertThrows(StoreException.class, () -> store.putBlob(bytes("during")));
    } finally {
      Thread.interrupted();
    }
    Digest after = store.putBlob(bytes("after"));
    assertArrayEquals(bytes("after"), store.readBlob(after));
  }

  @Test
  void missingBlobsAreNotFound() throws Exception {
    OciLayoutStore store = store();
    Digest d = Digest.sha256(bytes("nothing"));
    StoreException e = assertThrows(StoreException.class, () -> store.blob(d));
    assertTrue(e.isNotFound());
    assertEquals("blob " + d + " is not in the local store (" + dir.resolve("store") + ")",
        e.getMessage());
    assertThrows(StoreException.class, () -> store.readBlob(d));
  }

  // ------------------------------------------------------------ layout and names

  @Test
  void tagWritesAnOciLayoutWithTheFullReferenceAsRefName() throws Exception {
    OciLayoutStore store = store();
    TestImages.Image img = TestImages.store(store, TestImages.AMD64, Map.of("hello.txt", "hi"));
    store.tag(ref("hello:1"), img.manifest());

    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}",
        Files.readString(dir.resolve("store/oci-layout")));
    JsonValue.JsonObject index = (JsonValue.JsonObject) Json.parse(
        Files.readString(dir.resolve("store/index.json")));
    assertEquals("2", ((JsonValue.JsonNumber) index.get("schemaVersion").get()).literal());
    assertEquals(MediaTypes.OCI_INDEX,
        ((JsonValue.JsonString) index.get("mediaType").get()).value());
    ImageIndex parsed = (ImageIndex) ImageJson.parseManifest(
        Files.readAllBytes(dir.resolve("store/index.json")), MediaTypes.OCI_INDEX);
    assertEquals(1, parsed.manifests().size());
    Descriptor entry = parsed.manifests().get(0);
    assertEquals(img.manifest().digest(), entry.digest());
    assertEquals(img.manifest().size(), entry.size());
    assertEquals(MediaTypes.OCI_MANIFEST, entry.mediaType());
    assertEquals(Map.of(OciLayoutStore.REF_NAME_ANNOTATION, "docker.io/library/hello:1"),
        entry.annotations());

    assertEquals(Optional.of(img.manifest()), store.resolve(ref("docker.io/library/hello:1")));
    assertEquals(Optional.empty(), store.resolve(ref("hello:2")));
  }

  @Test
  void tagReplacesWhatANamePointedAt() throws Exception {
    OciLayoutStore store = store();
    TestImages.Image one = TestImages.store(store, TestImages.AMD64, Map.of("v", "1"));
    TestImages.Image two = TestImages.store(store, TestImages.AMD64, Map.of("v", "2"));
    store.tag(ref("app:latest"), one.manifest());
    store.tag(ref("other:latest"), one.manifest());
    store.tag(ref("app:latest"), two.manifest());
    assertEquals(Optional.of(two.manifest()), store.resolve(ref("app")));
    assertEquals(Optional.of(one.manifest()), store.resolve(ref("other")));
    assertEquals(2, store.list().size());
  }

  @Test
  void tagRefusesIncompleteImagesAndChangesNothing() throws Exception {
    OciLayoutStore store = store();
    TestImages.Image img = TestImages.store(store, TestImages.AMD64, Map.of("a", "b"));
    store.tag(ref("good:1"), img.manifest());
    String indexBefore = Files.readString(dir.resolve("store/index.json"));

    Digest missingLayer = Digest.sha256(bytes("never stored"));
    byte[] manifest = ImageJson.write(new ImageManifest(MediaTypes.OCI_MANIFEST, img.config(),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, missingLayer, 12))));
    Descriptor broken = Descriptor.of(MediaTypes.OCI_MANIFEST, store.putBlob(manifest),
        manifest.length);
    StoreException e = assertThrows(StoreException.class,
        () -> store.tag(ref("broken:1"), broken));
    assertEquals("image \"docker.io/library/broken:1\" is incomplete: layer " + missingLayer
        + " of manifest " + broken.digest() + " is not in the local store ("
        + dir.resolve("store") + ")", e.getMessage());

    Descriptor absent = Descriptor.of(MediaTypes.OCI_MANIFEST, missingLayer, 5);
    assertThrows(StoreException.class, () -> store.tag(ref("absent:1"), absent));
    assertThrows(StoreException.class, () -> store.addRoot(absent));

    Descriptor wrongSize = Descriptor.of(MediaTypes.OCI_MANIFEST, img.manifest().digest(), 3);
    e = assertThrows(StoreException.class, () -> store.tag(ref("size:1"), wrongSize));
    assertTrue(e.getMessage().contains("says 3 bytes but the stored blob has"), e.getMessage());

    Descriptor notAManifest = img.config();
    e = assertThrows(StoreException.class, () -> store.tag(ref("cfg:1"), notAManifest));
    assertTrue(e.getMessage().contains("is not an image manifest or index"), e.getMessage());

    assertEquals(indexBefore, Files.readString(dir.resolve("store/index.json")));
  }

  @Test
  void untagRemovesTheNameOnly() throws Exception {
    OciLayoutStore store = store();
    TestImages.Image img = TestImages.store(store, TestImages.AMD64, Map.of("a", "b"));
    store.tag(ref("x:1"), img.manifest());
    assertTrue(store.untag(ref("x:1")));
    assertFalse(store.untag(ref("x:1")));
    assertEquals(Optional.empty(), store.resolve(ref("x:1")));
    for (Digest d : img.blobs()) {
      assertTrue(Files.exists(store.blobPath(d)));
    }
  }

  @Test
  void listAddRootAndRemoveRoots() throws Exception {
    OciLayoutStore store = store();
    TestImages.Image a = TestImages.store(store, TestImages.AMD64, Map.of("a", "1"));
    TestImages.Image b = TestImages.store(store, TestImages.AMD64, Map.of("b", "1"));
    store.tag(ref("a:1"), a.manifest());
    store.addRoot(b.manifest());
    store.addRoot(b.manifest());
    store.addRoot(a.manifest());
    assertEquals(List.of(
        new StoredImage(Optional.of(ref("a:1")), a.manifest()),
        new StoredImage(Optional.empty(), b.manifest()),
        new StoredImage(Optional.empty(), a.manifest())), store.list());
    assertEquals(1, store.removeRoots(b.manifest().digest()));
    assertEquals(2, store.removeRoots(a.manifest().digest()));
    assertEquals(0, store.removeRoots(a.manifest().digest()));
    assertEquals(List.of(), store.list());
  }

  @Test
  void namesWrittenByOtherToolsInShortFormResolve() throws Exception {
    OciLayoutStore store = store();
    TestImages.Image img = TestImages.store(store, TestImages.AMD64, Map.of("a", "1"));
    store.addRoot(img.manifest());
    Descriptor shortNamed = img.manifest()
        .withAnnotations(Map.of(OciLayoutStore.REF_NAME_ANNOTATION, "alpine"));
    Files.write(dir.resolve("store/index.json"), ImageJson.write(new ImageIndex(
        MediaTypes.OCI_INDEX, List.of(shortNamed), Map.of())));
    assertEquals(Optional.of(img.manifest()),
        store.resolve(ref("docker.io/library/alpine:latest")));
    assertTrue(store.untag(ref("alpine:latest")));
  }

  @Test
  void indexJsonIsReplacedNotRewrittenInPlace() throws Exception {
    OciLayoutStore store = store();
    TestImages.Image img = TestImages.store(store, TestImages.AMD64, Map.of("a", "1"));
    Path index = dir.resolve("store/index.json");
    Object inodeBefore = Files.readAttributes(index, BasicFileAttributes.class).fileKey();
    try (InputStream old = Files.newInputStream(index)) {
      store.tag(ref("a:1"), img.manifest());
      ImageIndex oldIndex = (ImageIndex) ImageJson.parseManifest(old.readAllBytes(),
          MediaTypes.OCI_INDEX);
      assertEquals(List.of(), oldIndex.manifests(), "a reader of the old file sees it whole");
    }
    assertNotEquals(inodeBefore, Files.readAttributes(index, BasicFileAttributes.class).fileKey());
    assertEquals(1, store.list().size());
    assertTrue(files(dir.resolve("store/.zlayer")).stream()
        .noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
  }

  @Test
  void readingAMissingStoreCreatesNothing() throws Exception {
    OciLayoutStore store = store();
    assertEquals(List.of(), store.list());
    assertEquals(Optional.empty(), store.resolve(ref("a:1")));
    assertFalse(store.hasBlob(Digest.sha256(bytes("x"))));
    assertFalse(store.untag(ref("a:1")));
    assertEquals(0, store.removeRoots(Digest.sha256(bytes("x"))));
    assertEquals(new PruneReport(0, 0), store.prune());
    assertFalse(Files.exists(dir.resolve("store")));
  }

  @Test
  void malformedIndexJsonIsOneClearLine() throws Exception {
    Path root = dir.resolve("store");
    Files.createDirectories(root);
    Files.writeString(root.resolve("index.json"), "{\"schemaVersion\": 2, \"manifests\": [");
    StoreException e = assertThrows(StoreException.class, () -> store().list());
    assertTrue(e.getMessage().startsWith("index.json of the local store (" + root
        + ") is malformed: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aWrongLayoutVersionIsRefused() throws Exception {
    Path root = dir.resolve("store");
    Files.createDirectories(root);
    Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    StoreException e = assertThrows(StoreException.class, () -> store().putBlob(bytes("x")));
    assertEquals("the local store (" + root + ") is an OCI image layout of version 2.0.0,"
        + " not 1.0.0", e.getMessage());
  }

  @Test
  void aRootThatIsAFileIsReported() throws Exception {
    Files.writeString(dir.resolve("store"), "not a directory");
    StoreException e = assertThrows(StoreException.class, () -> store().putBlob(bytes("x")));
    assertEquals("the local store (" + dir.resolve("store") + ") is not a directory",
        e.getMessage());
  }

  @Test
  void defaultRootComesFromZlayerHomeOrTheUserHome() {
    assertEquals(Path.of("/opt/zl/store"),
        OciLayoutStore.defaultRoot(Map.of("ZLAYER_HOME", "/opt/zl"), "/home/u"));
    assertEquals(Path.of("/home/u/.zlayer/store"),
        OciLayoutStore.defaultRoot(Map.of(), "/home/u"));
    assertEquals(Path.of("/home/u/.zlayer/store"),
        OciLayoutStore.defaultRoot(Map.of("ZLAYER_HOME", " "), "/home/u"));
    assertEquals(Path.of("/root/.zlayer/store"),
        OciLayoutStore.fromEnvironment(Map.of(), "/root").root());
  }

  // ------------------------------------------------------------ prune

  @Test
  void pruneMarksThroughIndexesAndSweepsTheRest() throws Exception {
    OciLayoutStore store = store();
    Path root = dir.resolve("store");
    Map<String, String> base = Map.of("etc/os-release", "ID=test");
    TestImages.Image amd = TestImages.store(store, TestImages.AMD64, base,
        Map.of("bin/app", "amd64 build"));
    TestImages.Image arm = TestImages.store(store, TestImages.ARM64,
        Map.of("bin/app", "arm64 build"));
    Map<io.zlayer.domain.image.Platform, TestImages.Image> platforms = new LinkedHashMap<>();
    platforms.put(TestImages.AMD64, amd);
    platforms.put(TestImages.ARM64, arm);
    Descriptor index = TestImages.index(store, platforms);
    store.tag(ref("multi:1"), index);
    TestImages.Image single = TestImages.store(store, TestImages.AMD64,
        Map.of("single", "kept by an unnamed root"));
    store.addRoot(single.manifest());
    TestImages.Image gone = TestImages.store(store, TestImages.AMD64,
        Map.of("gone", "untagged before the prune"));
    store.tag(ref("gone:1"), gone.manifest());
    store.untag(ref("gone:1"));

    // What a dead process leaves: a blob nobody names, a lease and a half-written ingest file.
    byte[] orphan = bytes("orphan of a dead process");
    Path orphanFile = root.resolve("blobs/sha256/" + Digest.sha256(orphan).hex());
    Files.write(orphanFile, orphan);
    Path sessions = root.resolve(".zlayer/sessions");
    Files.writeString(sessions.resolve("00dead00dead00de.lock"), "pid 1\n");
    Files.writeString(sessions.resolve("00dead00dead00de.leases"), Digest.sha256(orphan) + "\n");
    Path ingest = root.resolve(".zlayer/ingest/00dead00dead00de-7");
    Files.write(ingest, new byte[1000]);
    Files.writeString(root.resolve(".zlayer/index.json.tmp"), "{\"schema");

    long expectedBytes = Stream.of(orphanFile, ingest, sessions.resolve("00dead00dead00de.lock"),
        sessions.resolve("00dead00dead00de.leases"), root.resolve(".zlayer/index.json.tmp"))
        .mapToLong(OciLayoutStoreTest::size).sum()
        + gone.blobs().stream().mapToLong(d -> size(store.blobPath(d))).sum();
    PruneReport report = store.prune();

    assertEquals(new PruneReport(gone.blobs().size() + 1, expectedBytes), report);
    for (Digest d : gone.blobs()) {
      assertFalse(Files.exists(store.blobPath(d)), d.toString());
    }
    assertFalse(Files.exists(orphanFile));
    assertFalse(Files.exists(ingest));
    assertFalse(Files.exists(sessions.resolve("00dead00dead00de.lock")));
    assertFalse(Files.exists(sessions.resolve("00dead00dead00de.leases")));
    assertFalse(Files.exists(root.resolve(".zlayer/index.json.tmp")));
    for (TestImages.Image kept : List.of(amd, arm, single)) {
      for (Digest d : kept.blobs()) {
        assertTrue(Files.exists(store.blobPath(d)), d.toString());
      }
    }
    assertTrue(Files.exists(store.blobPath(index.digest())));
    assertEquals(new PruneReport(0, 0), store.prune());
  }

  @Test
  void pruneKeepsWhatThisProcessWroteButHasNotNamedYet() throws Exception {
    OciLayoutStore store = store();
    Digest pending = store.putBlob(bytes("written, tag comes next"));
    byte[] existing = bytes("found by hasBlob");
    Path existingFile = dir.resolve("store/blobs/sha256/" + Digest.sha256(existing).hex());
    Files.write(existingFile, existing);
    assertTrue(store.hasBlob(Digest.sha256(existing)));
    BlobWriter inFlight = store.newBlobWriter();
    inFlight.stream().write(bytes("still streaming"));
    inFlight.stream().flush();

    assertEquals(new PruneReport(0, 0), store.prune());
    assertTrue(Files.exists(store.blobPath(pending)));
    assertTrue(Files.exists(existingFile));
    Digest late = inFlight.commit(Optional.empty());
    assertArrayEquals(bytes("still streaming"), store.readBlob(late));
    // A second instance on the same root in this JVM shares the lease.
    assertEquals(new PruneReport(0, 0), new OciLayoutStore(dir.resolve("store")).prune());
  }

  @Test
  void pruneRefusesToGuessWhenARootManifestIsCorrupt() throws Exception {
    OciLayoutStore store = store();
    TestImages.Image img = TestImages.store(store, TestImages.AMD64, Map.of("a", "1"));
    store.tag(ref("a:1"), img.manifest());
    Path manifestFile = store.blobPath(img.manifest().digest());
    byte[] damaged = Files.readAllBytes(manifestFile);
    damaged[damaged.length / 2] ^= 1;
    Files.write(manifestFile, damaged);
    StoreException e = assertThrows(StoreException.class, store::prune);
    assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
    for (Digest d : img.blobs()) {
      assertTrue(Files.exists(store.blobPath(d)));
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
