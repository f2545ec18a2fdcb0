package io.zlayer.adapters.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarImageArchiveTest {
  @TempDir Path dir;
  private OciLayoutStore source;
  private OciLayoutStore target;
  private TestImages.Image hello;

  @BeforeEach
  void images() throws Exception {
    source = new OciLayoutStore(dir.resolve("source"));
    target = new OciLayoutStore(dir.resolve("target"));
    hello = TestImages.store(source, TestImages.AMD64, Map.of("hello.txt", "hello"),
        Map.of("etc/motd", "welcome"));
    source.tag(ref("hello:1"), hello.manifest());
    source.tag(ref("hello:alias"), hello.manifest());
  }

  private static ImageReference ref(String s) throws Exception {
    return ImageReference.parse(s);
  }

  private static Map<String, byte[]> entries(Path tar) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.put(e.getName(), e.isDirectory() ? null : in.readAllBytes());
      }
    }
    return out;
  }

  private static String blobPath(Digest d) {
    return "blobs/sha256/" + d.hex();
  }

  // ------------------------------------------------------------ OCI

  @Test
  void ociArchiveIsTheLayoutWithFullNamesAndLoadsBack() throws Exception {
    TarImageArchive archive = new TarImageArchive(source);
    Path file = dir.resolve("hello.oci.tar");
    archive.save(List.of(ref("hello:1"), ref("hello:alias")), file, ArchiveFormat.OCI);

    Map<String, byte[]> tar = entries(file);
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}",
        new String(tar.get("oci-layout"), StandardCharsets.UTF_8));
    for (Digest d : hello.blobs()) {
      assertArrayEquals(source.readBlob(d), tar.get(blobPath(d)), d.toString());
    }
    // oci-layout, blobs/, blobs/sha256/, manifest, config, two layers, index.json
    assertEquals(8, tar.size(), tar.keySet().toString());
    ImageIndex index = (ImageIndex) ImageJson.parseManifest(tar.get("index.json"),
        MediaTypes.OCI_INDEX);
    assertEquals(2, index.manifests().size());
    assertEquals(Map.of(OciLayoutStore.REF_NAME_ANNOTATION, "docker.io/library/hello:1",
        TarImageArchive.CONTAINERD_NAME, "docker.io/library/hello:1"),
        index.manifests().get(0).annotations());
    assertEquals(hello.manifest().digest(), index.manifests().get(1).digest());

    List<ImageReference> loaded = new TarImageArchive(target).load(file);
    assertEquals(List.of(ref("hello:1"), ref("hello:alias")), loaded);
    assertEquals(Optional.of(hello.manifest()), target.resolve(ref("hello:1")));
    assertEquals(Optional.of(hello.manifest()), target.resolve(ref("hello:alias")));
    StoreChecks.rootsAreComplete(target);
  }

  @Test
  void savingTwiceGivesTheSameBytes() throws Exception {
    TarImageArchive archive = new TarImageArchive(source);
    archive.save(List.of(ref("hello:1")), dir.resolve("a.tar"), ArchiveFormat.OCI);
    archive.save(List.of(ref("hello:1")), dir.resolve("b.tar"), ArchiveFormat.OCI);
    assertArrayEquals(Files.readAllBytes(dir.resolve("a.tar")),
        Files.readAllBytes(dir.resolve("b.tar")));
  }

  @Test
  void multiPlatformIndexesRoundTripInOciFormat() throws Exception {
    TestImages.Image arm = TestImages.store(source, TestImages.ARM64, Map.of("arch", "arm64"));
    Map<Platform, TestImages.Image> both = new LinkedHashMap<>();
    both.put(TestImages.AMD64, hello);
    both.put(TestImages.ARM64, arm);
    Descriptor index = TestImages.index(source, both);
    source.tag(ref("multi:1"), index);
    Path file = dir.resolve("multi.tar");
    new TarImageArchive(source).save(List.of(ref("multi:1")), file, ArchiveFormat.OCI);
    assertEquals(List.of(ref("multi:1")), new TarImageArchive(target).load(file));
    assertEquals(Optional.of(index), target.resolve(ref("multi:1")));
    java.util.Set<Digest> reached = StoreChecks.rootsAreComplete(target);
    assertEquals(StoreChecks.closure(source, index), reached);
    assertEquals(1 + hello.blobs().size() + arm.blobs().size(), reached.size());
    for (Digest d : reached) {
      assertArrayEquals(source.readBlob(d), target.readBlob(d));
    }
  }

  // ------------------------------------------------------------ Docker

  @Test
  void dockerArchiveHasManifestJsonAndLoadsBack() throws Exception {
    Path file = dir.resolve("hello.docker.tar");
    new TarImageArchive(source).save(List.of(ref("hello:1"), ref("hello:alias")), file,
        ArchiveFormat.DOCKER);
    Map<String, byte[]> tar = entries(file);
    JsonValue.JsonArray manifest = (JsonValue.JsonArray) Json.parse(
        new String(tar.get("manifest.json"), StandardCharsets.UTF_8));
    assertEquals(1, manifest.items().size(), "two names of one image are one entry");
    JsonValue.JsonObject item = (JsonValue.JsonObject) manifest.items().get(0);
    assertEquals(blobPath(hello.config().digest()),
        ((JsonValue.JsonString) item.get("Config").get()).value());
    assertEquals(List.of(ref("hello:1").familiarString(), ref("hello:alias").familiarString()),
        strings(item.get("RepoTags").get()));
    assertEquals(hello.layers().stream().map(l -> blobPath(l.digest())).toList(),
        strings(item.get("Layers").get()));
    for (Descriptor layer : hello.layers()) {
      assertArrayEquals(source.readBlob(layer.digest()), tar.get(blobPath(layer.digest())));
    }
    assertFalse(tar.containsKey("index.json"));

    List<ImageReference> loaded = new TarImageArchive(target).load(file);
    assertEquals(List.of(ref("hello:1"), ref("hello:alias")), loaded);
    Descriptor root = target.resolve(ref("hello:1")).orElseThrow();
    ImageManifest m = (ImageManifest) ImageJson.parseManifest(target.readBlob(root.digest()),
        root.mediaType());
    assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    assertEquals(hello.config().digest(), m.config().digest());
    assertEquals(hello.layers(), m.layers(), "gzip layers keep their digests and media type");
    StoreChecks.rootsAreComplete(target);
  }

  @Test
  void dockerArchiveOfAnIndexHoldsTheHostPlatform() throws Exception {
    TestImages.Image arm = TestImages.store(source, TestImages.ARM64, Map.of("arch", "arm64"));
    Map<Platform, TestImages.Image> both = new LinkedHashMap<>();
    both.put(TestImages.ARM64, arm);
    both.put(TestImages.AMD64, hello);
    source.tag(ref("multi:1"), TestImages.index(source, both));
    Path file = dir.resolve("multi.docker.tar");
    new TarImageArchive(source, TestImages.ARM64).save(List.of(ref("multi:1")), file,
        ArchiveFormat.DOCKER);
    JsonValue.JsonObject item = (JsonValue.JsonObject) ((JsonValue.JsonArray) Json.parse(
        new String(entries(file).get("manifest.json"), StandardCharsets.UTF_8))).items().get(0);
    assertEquals(blobPath(arm.config().digest()),
        ((JsonValue.JsonString) item.get("Config").get()).value());

    Platform s390x = new Platform("linux", "s390x", Optional.empty(), Optional.empty());
    StoreException e = assertThrows(StoreException.class, () -> new TarImageArchive(source,
        s390x).save(List.of(ref("multi:1")), dir.resolve("x.tar"), ArchiveFormat.DOCKER));
    assertEquals("image \"docker.io/library/multi:1\" is a multi-platform index with 2 platforms"
        + " in the local store and none for linux/s390x; a docker archive holds one platform,"
        + " save it in the OCI format", e.getMessage());
  }

  @Test
  void zstdLayersAreDecompressedForDockerAndComeBackPlain() throws Exception {
    byte[] tar = TestImages.layerTar(Map.of("z.txt", "zstd layer"));
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (OutputStream out = new ZstdCompressorOutputStream(z)) {
      out.write(tar);
    }
    byte[] zstd = z.toByteArray();
    Digest layer = source.putBlob(zstd);
    ImageConfig config = ImageConfig.scratch(TestImages.AMD64)
        .withLayer(Digest.sha256(tar), HistoryEntry.of(Instant.EPOCH, "ADD z.txt /", false));
    byte[] configBytes = ImageJson.write(config);
    Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, source.putBlob(configBytes),
        configBytes.length);
    byte[] manifest = ImageJson.write(new ImageManifest(MediaTypes.OCI_MANIFEST, configDesc,
        List.of(Descriptor.of(MediaTypes.OCI_LAYER_ZSTD, layer, zstd.length))));
    source.tag(ref("zstd:1"), Descriptor.of(MediaTypes.OCI_MANIFEST, source.putBlob(manifest),
        manifest.length));

    Path file = dir.resolve("zstd.tar");
    new TarImageArchive(source).save(List.of(ref("zstd:1")), file, ArchiveFormat.DOCKER);
    assertArrayEquals(tar, entries(file).get(blobPath(Digest.sha256(tar))));
    assertEquals(List.of(), StoreChecks.list(dir).stream()
        .filter(p -> p.getFileName().toString().startsWith(".zlayer-layer")).toList());

    new TarImageArchive(target).load(file);
    Descriptor root = target.resolve(ref("zstd:1")).orElseThrow();
    ImageManifest m = (ImageManifest) ImageJson.parseManifest(target.readBlob(root.digest()),
        root.mediaType());
    assertEquals(List.of(Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(tar), tar.length)),
        m.layers());
  }

  // ------------------------------------------------------------ archives made by others

  @Test
  void loadsAGzippedDocker20StyleArchive() throws Exception {
    byte[] layer = TestImages.layerTar(Map.of("bin/tool", "#!/bin/sh"));
    ImageConfig config = ImageConfig.scratch(TestImages.AMD64)
        .withLayer(Digest.sha256(layer), HistoryEntry.of(Instant.EPOCH, "ADD tool", false));
    byte[] configBytes = ImageJson.write(config);
    String id = Digest.sha256(configBytes).hex();
    Path file = dir.resolve("docker20.tar.gz");
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      directory(tar, "0123abcd/");
      file(tar, "0123abcd/VERSION", "1.0");
      file(tar, "0123abcd/json", "{\"id\":\"0123abcd\"}");
      file(tar, "0123abcd/layer.tar", layer);
      file(tar, id + ".json", configBytes);
      file(tar, "manifest.json", "[{\"Config\":\"" + id + ".json\",\"RepoTags\":[\"tool:2\"],"
          + "\"Layers\":[\"0123abcd/layer.tar\"]}]");
      file(tar, "repositories", "{\"tool\":{\"2\":\"0123abcd\"}}");
    }
    assertEquals(List.of(ref("tool:2")), new TarImageArchive(target).load(file));
    Descriptor root = target.resolve(ref("tool:2")).orElseThrow();
    ImageManifest m = (ImageManifest) ImageJson.parseManifest(target.readBlob(root.digest()),
        root.mediaType());
    assertEquals(Digest.sha256(configBytes), m.config().digest());
    assertEquals(List.of(Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(layer), layer.length)),
        m.layers());
  }

  @Test
  void followsTheSymlinksContainersImageWrites() throws Exception {
    byte[] layer = TestImages.layerTar(Map.of("a", "b"));
    byte[] configBytes = ImageJson.write(ImageConfig.scratch(TestImages.AMD64)
        .withLayer(Digest.sha256(layer), HistoryEntry.of(Instant.EPOCH, "x", false)));
    String layerHex = Digest.sha256(layer).hex();
    Path file = dir.resolve("podman.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      file(tar, layerHex + ".tar", layer);
      symlink(tar, "legacy/layer.tar", "../" + layerHex + ".tar");
      file(tar, Digest.sha256(configBytes).hex() + ".json", configBytes);
      file(tar, "manifest.json", "[{\"Config\":\"" + Digest.sha256(configBytes).hex()
          + ".json\",\"RepoTags\":[\"localhost/podman:1\"],\"Layers\":[\"legacy/layer.tar\"]}]");
    }
    assertEquals(List.of(ref("localhost/podman:1")), new TarImageArchive(target).load(file));
  }

  @Test
  void docker25ArchivesTakeNamesFromContainerdAndRepoTagsNotTheBareTag() throws Exception {
    Path oci = dir.resolve("oci.tar");
    new TarImageArchive(source).save(List.of(ref("hello:1")), oci, ArchiveFormat.OCI);
    Map<String, byte[]> entries = entries(oci);
    Descriptor entry = hello.manifest().withAnnotations(Map.of(
        TarImageArchive.CONTAINERD_NAME, "docker.io/library/dual:1",
        OciLayoutStore.REF_NAME_ANNOTATION, "1"));
    entries.put("index.json", ImageJson.write(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(entry), Map.of())));
    entries.put("manifest.json", ("[{\"Config\":\"" + blobPath(hello.config().digest())
        + "\",\"RepoTags\":[\"dual:1\",\"dual:extra\"],\"Layers\":[]}]")
        .getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("docker25.tar");
    writeTar(file, entries);
    assertEquals(List.of(ref("dual:1"), ref("dual:extra")),
        new TarImageArchive(target).load(file));
    assertEquals(Optional.of(hello.manifest()), target.resolve(ref("dual:extra")));
  }

  @Test
  void unnamedImagesBecomeUnnamedRoots() throws Exception {
    Path oci = dir.resolve("oci.tar");
    new TarImageArchive(source).save(List.of(ref("hello:1")), oci, ArchiveFormat.OCI);
    Map<String, byte[]> entries = entries(oci);
    entries.put("index.json", ImageJson.write(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(hello.manifest()), Map.of())));
    Path file = dir.resolve("unnamed.tar");
    writeTar(file, entries);
    assertEquals(List.of(), new TarImageArchive(target).load(file));
    assertEquals(List.of(new io.zlayer.application.port.ImageStore.StoredImage(Optional.empty(),
        hello.manifest())), target.list());
  }

  // ------------------------------------------------------------ bad archives

  @Test
  void unsafeEntryNamesAreRejected() throws Exception {
    for (String name : List.of("../evil", "/etc/passwd", "blobs/../../x", "./a/../../b")) {
      Path file = dir.resolve("unsafe.tar");
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
        file(tar, name, "x");
      }
      ImageFormatException e = assertThrows(ImageFormatException.class,
          () -> new TarImageArchive(target).load(file));
      assertEquals("image archive " + file + " has an unsafe entry name \"" + name
          + "\" (absolute or with ..)", e.getMessage());
    }
    Path file = dir.resolve("link.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      symlink(tar, "a/layer.tar", "../../../etc/shadow");
    }
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> new TarImageArchive(target).load(file));
    assertEquals("image archive " + file + ": link \"a/layer.tar\" points outside the archive"
        + " (../../../etc/shadow)", e.getMessage());
    assertEquals(List.of(), target.list());
  }

  @Test
  void aBlobThatDoesNotMatchItsNameIsRejectedAndNotStored() throws Exception {
    Path oci = dir.resolve("oci.tar");
    new TarImageArchive(source).save(List.of(ref("hello:1")), oci, ArchiveFormat.OCI);
    Map<String, byte[]> entries = entries(oci);
    String layerPath = blobPath(hello.layers().get(0).digest());
    byte[] forged = entries.get(layerPath).clone();
    forged[forged.length - 1] ^= 0x55;
    entries.put(layerPath, forged);
    Path file = dir.resolve("forged.tar");
    writeTar(file, entries);
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> new TarImageArchive(target).load(file));
    assertEquals("image archive " + file + ": \"" + layerPath + "\" does not match its digest"
        + " (its content hashes to " + Digest.sha256(forged) + ")", e.getMessage());
    assertFalse(Files.exists(target.blobPath(Digest.sha256(forged))));
    assertFalse(Files.exists(target.blobPath(hello.layers().get(0).digest())));
    assertEquals(List.of(), target.list());
    assertEquals(List.of(), StoreChecks.list(dir.resolve("target/.zlayer/ingest")));
  }

  @Test
  void archivesMissingContentOrMetadataAreRejected() throws Exception {
    Path empty = dir.resolve("empty.tar");
    Files.write(empty, new byte[0]);
    assertEquals(empty + " is not an image archive: it is empty or not a tar file",
        assertThrows(ImageFormatException.class, () -> new TarImageArchive(target).load(empty))
            .getMessage());

    Path noMeta = dir.resolve("nometa.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(noMeta))) {
      file(tar, "README", "hello");
    }
    assertEquals(noMeta + " is not an image archive: it has neither index.json (OCI layout) nor"
        + " manifest.json (docker save)", assertThrows(ImageFormatException.class,
            () -> new TarImageArchive(target).load(noMeta)).getMessage());

    Path docker = dir.resolve("docker.tar");
    new TarImageArchive(source).save(List.of(ref("hello:1")), docker, ArchiveFormat.DOCKER);
    Map<String, byte[]> entries = entries(docker);
    String layerPath = blobPath(hello.layers().get(1).digest());
    entries.remove(layerPath);
    Path lacking = dir.resolve("lacking.tar");
    writeTar(lacking, entries);
    assertEquals("image archive " + lacking + ": manifest.json names the layer \"" + layerPath
        + "\", which the archive does not contain", assertThrows(ImageFormatException.class,
            () -> new TarImageArchive(target).load(lacking)).getMessage());

    Path oci = dir.resolve("oci.tar");
    new TarImageArchive(source).save(List.of(ref("hello:1")), oci, ArchiveFormat.OCI);
    entries = entries(oci);
    entries.remove(layerPath);
    Path incomplete = dir.resolve("incomplete.tar");
    writeTar(incomplete, entries);
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> new TarImageArchive(target).load(incomplete));
    assertEquals("image \"docker.io/library/hello:1\" is incomplete: layer "
        + hello.layers().get(1).digest() + " of manifest " + hello.manifest().digest()
        + " is not in the archive " + incomplete, e.getMessage());
    assertEquals(List.of(), target.list());
  }

  @Test
  void uncompressedLayersMustMatchTheirDiffId() throws Exception {
    byte[] layer = TestImages.layerTar(Map.of("a", "b"));
    byte[] configBytes = ImageJson.write(ImageConfig.scratch(TestImages.AMD64)
        .withLayer(Digest.sha256(new byte[] {1}), HistoryEntry.of(Instant.EPOCH, "x", false)));
    Path file = dir.resolve("mismatch.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      file(tar, "l/layer.tar", layer);
      file(tar, "c.json", configBytes);
      file(tar, "manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":null,"
          + "\"Layers\":[\"l/layer.tar\"]}]");
    }
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> new TarImageArchive(target).load(file));
    assertTrue(e.getMessage().contains("but the config says its diff_id is "
        + Digest.sha256(new byte[] {1})), e.getMessage());
  }

  // ------------------------------------------------------------ save errors

  @Test
  void savingAnUnknownImageSaysSo() throws Exception {
    StoreException e = assertThrows(StoreException.class, () -> new TarImageArchive(source)
        .save(List.of(ref("nope:1")), dir.resolve("x.tar"), ArchiveFormat.OCI));
    assertTrue(e.isNotFound());
    assertEquals("image \"docker.io/library/nope:1\" is not in the local store ("
        + dir.resolve("source") + ")", e.getMessage());
    assertFalse(Files.exists(dir.resolve("x.tar")));
  }

  @Test
  void savingIntoAMissingDirectorySaysWhich() throws Exception {
    Path file = dir.resolve("no/such/dir/x.tar");
    StoreException e = assertThrows(StoreException.class, () -> new TarImageArchive(source)
        .save(List.of(ref("hello:1")), file, ArchiveFormat.OCI));
    assertEquals("cannot write image archive " + file + ": the directory " + file.getParent()
        + " does not exist", e.getMessage());
  }

  @Test
  void aFailedSaveLeavesTheOldFileAndNoPartialOne() throws Exception {
    Path file = dir.resolve("keep.tar");
    Files.writeString(file, "previous archive");
    Path layerFile = source.blobPath(hello.layers().get(0).digest());
    byte[] damaged = Files.readAllBytes(layerFile);
    damaged[damaged.length / 2] ^= 1;
    Files.write(layerFile, damaged);
    StoreException e = assertThrows(StoreException.class, () -> new TarImageArchive(source)
        .save(List.of(ref("hello:1")), file, ArchiveFormat.DOCKER));
    assertTrue(e.getMessage().startsWith("cannot write image archive " + file + ": blob "
        + hello.layers().get(0).digest() + " in the local store (" + dir.resolve("source")
        + ") is corrupt"), e.getMessage());
    assertEquals("previous archive", Files.readString(file));
    assertEquals(List.of(dir.resolve("keep.tar"), dir.resolve("source")), StoreChecks.list(dir));
  }

  // ------------------------------------------------------------ helpers

  private static List<String> strings(JsonValue v) {
    return ((JsonValue.JsonArray) v).items().stream()
        .map(i -> ((JsonValue.JsonString) i).value()).toList();
  }

  private static void writeTar(Path file, Map<String, byte[]> entries) throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        if (e.getValue() == null) {
          directory(tar, e.getKey());
        } else {
          file(tar, e.getKey(), e.getValue());
        }
      }
    }
  }

  private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
    tar.putArchiveEntry(new TarArchiveEntry(name));
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, String content)
      throws IOException {
    file(tar, name, content.getBytes(StandardCharsets.UTF_8));
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream tar, String name, String target)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }
}
