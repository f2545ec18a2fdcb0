package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerTarWriterTest {
  @TempDir
  Path tmp;

  private Path sampleTree() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    Trees.write(dir, "b/z.txt", "zzz");
    Trees.write(dir, "b/a.txt", "aaa");
    Trees.write(dir, "a-b", "dash");
    Trees.write(dir, "a/x", "x");
    Files.createSymbolicLink(dir.resolve("link"), Path.of("/b/a.txt"));
    Trees.write(dir, "bin/su", "#!/bin/sh\n");
    Files.setAttribute(dir.resolve("bin/su"), "unix:mode", 04755);
    Files.createDirectories(dir.resolve("tmp"));
    Files.setAttribute(dir.resolve("tmp"), "unix:mode", 01777);
    Trees.fixTimes(dir, 1_600_000_000L);
    return dir;
  }

  @Test
  void writesDepthFirstSortedEntriesWithModesAndWholeSecondTimes() throws Exception {
    Path dir = sampleTree();
    List<TarArchiveEntry> entries = Trees.entries(Trees.tar(dir));
    List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();
    assertEquals(List.of("a/", "a/x", "a-b", "b/", "b/a.txt", "b/z.txt", "bin/", "bin/su",
        "link", "tmp/"), names);
    TarArchiveEntry su = entries.get(7);
    assertEquals(04755, su.getMode());
    assertEquals("", su.getUserName());
    assertEquals(1_600_000_000L, su.getLastModifiedTime().toInstant().getEpochSecond());
    assertEquals(01777, entries.get(9).getMode());
    TarArchiveEntry link = entries.get(8);
    assertTrue(link.isSymbolicLink());
    assertEquals("/b/a.txt", link.getLinkName());
    assertEquals(0777, link.getMode());
    assertTrue(entries.get(0).isDirectory());
  }

  @Test
  void ownersComeFromTheFiles() throws Exception {
    RealParts.requireRoot();
    Path dir = sampleTree();
    Files.setAttribute(dir.resolve("a/x"), "unix:uid", 1234);
    Files.setAttribute(dir.resolve("a/x"), "unix:gid", 5678);
    Files.setAttribute(dir.resolve("b"), "unix:uid", 3_000_000);
    Files.setAttribute(dir.resolve("b"), "unix:gid", 4_000_000);
    Map<String, TarHeader> headers = Trees.headers(Trees.tar(dir));
    assertEquals(1234, headers.get("a/x").uid());
    assertEquals(5678, headers.get("a/x").gid());
    assertEquals(3_000_000, headers.get("b/").uid()); // > 07777777: a PAX uid record
    assertEquals(4_000_000, headers.get("b/").gid());
    TarArchiveEntry b = Trees.entries(Trees.tar(dir)).get(3);
    assertEquals(3_000_000, b.getLongUserId());
  }

  @Test
  void outputIsIdenticalAcrossRunsAndAcrossTouchWhenClamped() throws Exception {
    Path dir = sampleTree();
    Instant epoch = Instant.ofEpochSecond(1_500_000_000L);
    LayerTarOptions options = LayerTarOptions.of(LayerCompression.GZIP).withSourceDateEpoch(epoch);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    new LayerTarWriter().write(dir, first, options);
    new LayerTarWriter().write(dir, second, options);
    assertArrayEquals(first.toByteArray(), second.toByteArray());

    Trees.sh("touch '" + dir.resolve("b/a.txt") + "' '" + dir.resolve("a") + "'");
    ByteArrayOutputStream touched = new ByteArrayOutputStream();
    new LayerTarWriter().write(dir, touched, options);
    assertArrayEquals(first.toByteArray(), touched.toByteArray());

    ByteArrayOutputStream unclamped = new ByteArrayOutputStream();
    new LayerTarWriter().write(dir, unclamped, LayerTarOptions.of(LayerCompression.GZIP));
    assertFalse(Arrays.equals(first.toByteArray(), unclamped.toByteArray()));
    // times before the epoch stay as they are
    Map<String, TarHeader> h = Trees.headers(gunzip(first.toByteArray()));
    assertEquals(1_500_000_000L, h.get("b/a.txt").mtime().toInstant().getEpochSecond());
  }

  @Test
  void earlierTimesAreNotRaisedToTheEpoch() throws Exception {
    Path dir = sampleTree();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LayerTarWriter().write(dir, out, LayerTarOptions.of(LayerCompression.NONE)
        .withSourceDateEpoch(Instant.ofEpochSecond(1_700_000_000L)));
    assertEquals(1_600_000_000L,
        Trees.headers(out.toByteArray()).get("a/x").mtime().toInstant().getEpochSecond());
  }

  @Test
  void whiteoutDevicesAndOpaqueDirectoriesBecomeWhMarkers() throws Exception {
    RealParts.requireRoot();
    Path dir = Files.createDirectory(tmp.resolve("upper"));
    Files.createDirectories(dir.resolve("etc/opaque"));
    Trees.write(dir, "etc/opaque/-first", "sorted before the marker");
    OverlayFormat.setOpaque(dir.resolve("etc/opaque"));
    Trees.sh("mknod '" + dir.resolve("etc/gone") + "' c 0 0 && ln '" + dir.resolve("etc/gone")
        + "' '" + dir.resolve("etc/also-gone") + "'"); // overlayfs shares one whiteout inode
    List<String> names = Trees.names(Trees.tar(dir));
    assertEquals(List.of("etc/", "etc/.wh.also-gone", "etc/.wh.gone", "etc/opaque/",
        "etc/opaque/.wh..wh..opq", "etc/opaque/-first"), names);
    TarHeader wh = Trees.headers(Trees.tar(dir)).get("etc/.wh.gone");
    assertEquals(TarHeader.Kind.REGULAR, wh.kind());
    assertEquals(0, wh.size());
    assertTrue(Trees.headers(Trees.tar(dir)).get("etc/opaque/").xattrs().isEmpty(),
        "overlay attributes are not layer content");
  }

  @Test
  void hardLinksInsideTheLayerStayHardLinks() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    Path first = Trees.write(dir, "usr/bin/perl5.36", "perl");
    Files.createLink(dir.resolve("usr/bin/perl"), first);
    Files.createLink(dir.resolve("usr/bin/a-perl"), first);
    List<TarArchiveEntry> entries = Trees.entries(Trees.tar(dir));
    assertEquals("usr/bin/a-perl", entries.get(2).getName());
    assertTrue(entries.get(2).isFile());
    assertEquals(4, entries.get(2).getSize());
    for (int i = 3; i <= 4; i++) {
      assertTrue(entries.get(i).isLink(), entries.get(i).getName());
      assertEquals("usr/bin/a-perl", entries.get(i).getLinkName());
      assertEquals(0, entries.get(i).getSize());
    }
  }

  @Test
  void longAndNonAsciiNamesGoIntoPaxRecords() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    String long150 = "d".repeat(60) + "/" + "f".repeat(89);
    String long300 = "x".repeat(200) + "/" + "y".repeat(99);
    Trees.write(dir, long150, "150");
    Trees.write(dir, long300, "300");
    Trees.write(dir, "café/naïve-日本.txt", "utf8");
    Files.createSymbolicLink(dir.resolve("longlink"), Path.of("/" + long300));
    Files.createSymbolicLink(dir.resolve("ünï"), Path.of("café"));
    byte[] tar = Trees.tar(dir);
    Map<String, TarHeader> ours = Trees.headers(tar);
    assertTrue(ours.containsKey(long150));
    assertTrue(ours.containsKey(long300));
    assertTrue(ours.containsKey("café/naïve-日本.txt"));
    assertEquals("/" + long300, ours.get("longlink").linkName());
    assertEquals("café", ours.get("ünï").linkName());
    // commons-compress reads the same archive the same way
    List<String> names = Trees.names(tar);
    assertTrue(names.contains(long300));
    assertTrue(names.contains("café/naïve-日本.txt"));
    String text = new String(tar, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains("././@LongLink"), "no GNU long-name entries");
    assertTrue(text.contains("PaxHeaders.0/"));
  }

  @Test
  void devicesAndFifosAreWrittenWithTheirNumbers() throws Exception {
    RealParts.requireRoot();
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    Files.createDirectories(dir.resolve("dev"));
    Trees.sh("cd '" + dir + "/dev' && mknod null c 1 3 && mknod loop0 b 7 0"
        + " && mknod big c 300 70000 && mkfifo fifo");
    Map<String, TarHeader> h = Trees.headers(Trees.tar(dir));
    assertEquals(TarHeader.Kind.CHAR_DEVICE, h.get("dev/null").kind());
    assertEquals(1, h.get("dev/null").devMajor());
    assertEquals(3, h.get("dev/null").devMinor());
    assertEquals(TarHeader.Kind.BLOCK_DEVICE, h.get("dev/loop0").kind());
    assertEquals(7, h.get("dev/loop0").devMajor());
    assertEquals(300, h.get("dev/big").devMajor());
    assertEquals(70000, h.get("dev/big").devMinor());
    assertEquals(TarHeader.Kind.FIFO, h.get("dev/fifo").kind());
  }

  @Test
  void userXattrsArePreservedAsSchilyRecords() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    Path f = Trees.write(dir, "f", "x");
    Files.getFileAttributeView(f, UserDefinedFileAttributeView.class)
        .write("mime_type", ByteBuffer.wrap("text/plain".getBytes(StandardCharsets.UTF_8)));
    TarHeader h = Trees.headers(Trees.tar(dir)).get("f");
    assertEquals("text/plain", Trees.utf8(h.xattrs().get("user.mime_type")));
  }

  @Test
  void binaryCapabilitiesSurviveByteForByte() throws Exception {
    RealParts.requireRoot();
    RealParts.require("setfattr");
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    Path f = Trees.write(dir, "usr/bin/newuidmap", "elf");
    // VFS_CAP_REVISION_2, permitted cap_setuid (bit 7 = 0x80) + cap_setgid, effective
    String cap = "0x01000002c0000000000000000000000000000000";
    Trees.sh("setfattr -n security.capability -v " + cap + " '" + f + "'");
    byte[] tar = Trees.tar(dir);
    byte[] value = Trees.headers(tar).get("usr/bin/newuidmap").xattrs()
        .get("security.capability");
    assertEquals(cap.substring(2), HexFormat.of().formatHex(value));
    Path back = Files.createDirectory(tmp.resolve("back"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer test", back,
        LayerStack.empty());
    String dump = RealParts.run(null, "getfattr", "-n", "security.capability", "-e", "hex",
        back.resolve("usr/bin/newuidmap").toString());
    assertTrue(dump.contains("security.capability=" + cap), dump);
    assertArrayEquals(tar, Trees.tar(back));
  }

  @Test
  void attributesOfOddlyNamedFilesGoThroughGetfattrAndSetfattr() throws Exception {
    RealParts.requireRoot();
    RealParts.require("setfattr");
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    List<String> names = List.of("a b", "new\nline", "back\\slash", "eq=x", "ünï", "tab\tx");
    for (String name : names) {
      Path f = Trees.write(dir, name, name);
      Files.getFileAttributeView(f, UserDefinedFileAttributeView.class)
          .write("n", ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8)));
      RealParts.run(null, "setfattr", "-n", "trusted.zlayer", "-v", "0x00ff", f.toString());
    }
    byte[] tar = Trees.tar(dir);
    Map<String, TarHeader> headers = Trees.headers(tar);
    for (String name : names) {
      assertEquals(name, Trees.utf8(headers.get(name).xattrs().get("user.n")), name);
      assertArrayEquals(new byte[] {0, (byte) 0xff}, headers.get(name).xattrs()
          .get("trusted.zlayer"), name);
    }
    Path back = Files.createDirectory(tmp.resolve("back"));
    LayerUnpacker.Result r = new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer",
        back, LayerStack.empty());
    assertEquals(List.of(), r.warnings());
    assertArrayEquals(tar, Trees.tar(back));
  }

  @Test
  void digestsSizesAndDiffIdsForEveryCompression() throws Exception {
    Path dir = sampleTree();
    byte[] plainTar = Trees.tar(dir);
    for (LayerCompression c : LayerCompression.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      LayerBlob blob = new LayerTarWriter().write(dir, out, LayerTarOptions.of(c));
      byte[] bytes = out.toByteArray();
      assertEquals(Digest.sha256(bytes), blob.digest(), c.name());
      assertEquals(bytes.length, blob.size());
      byte[] uncompressed;
      switch (c) {
        case GZIP:
          uncompressed = gunzip(bytes);
          break;
        case ZSTD:
          try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(bytes))) {
            uncompressed = in.readAllBytes();
          }
          break;
        default:
          uncompressed = bytes;
      }
      assertArrayEquals(plainTar, uncompressed, c.name());
      assertEquals(Digest.sha256(uncompressed), blob.diffId());
      assertEquals(MediaTypes.layerType(ImageFormat.OCI, c), blob.mediaType(ImageFormat.OCI));
    }
    assertEquals(0, plainTar.length % 512);
  }

  @Test
  void gzipHeaderIsConstant() throws Exception {
    Path dir = sampleTree();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LayerTarWriter().write(dir, out, LayerTarOptions.of(LayerCompression.GZIP));
    byte[] header = Arrays.copyOf(out.toByteArray(), 10);
    // magic, deflate, no flags, mtime 0, XFL 0, OS 255 ("unknown", as Go writes it)
    assertArrayEquals(HexFormat.of().parseHex("1f8b0800000000000" + "0ff"), header);
  }

  @Test
  void excludedPathsAndEmptiness() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("upper"));
    assertTrue(LayerTarWriter.isEmpty(dir));
    Files.createDirectories(dir.resolve("proc"));
    Files.createDirectories(dir.resolve("etc"));
    Trees.write(dir, "etc/resolv.conf", "");
    Trees.write(dir, "etc/keep", "k");
    LayerTarOptions opts = LayerTarOptions.of(LayerCompression.NONE)
        .withExcluded(List.of("/proc", "etc/resolv.conf/"));
    assertFalse(LayerTarWriter.isEmpty(dir));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LayerTarWriter().write(dir, out, opts);
    assertEquals(List.of("etc/", "etc/keep"), Trees.names(out.toByteArray()));
    Path onlyMounts = Files.createDirectory(tmp.resolve("mounts"));
    Files.createDirectories(onlyMounts.resolve("proc"));
    assertTrue(LayerTarWriter.isEmpty(onlyMounts, opts));
    assertFalse(LayerTarWriter.isEmpty(onlyMounts));
  }

  @Test
  void anEmptyLayerIsTwoZeroBlocks() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("empty"));
    byte[] tar = Trees.tar(dir);
    assertEquals(1024, tar.length);
    assertNotEquals(0, Digest.sha256(tar).hex().length());
  }

  static byte[] gunzip(byte[] bytes) throws Exception {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}
