package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.LayerCompression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
  @TempDir
  Path tmp;

  /** A layer directory with one of everything a layer can hold. */
  private Path richLayer(boolean privileged) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("rich"));
    Trees.write(dir, "etc/os-release", "ID=test\n");
    Trees.write(dir, "usr/bin/tool", "#!/bin/sh\n");
    Files.setAttribute(dir.resolve("usr/bin/tool"), "unix:mode", 06755);
    Files.createLink(dir.resolve("usr/bin/tool-link"), dir.resolve("usr/bin/tool"));
    Files.createSymbolicLink(dir.resolve("usr/lib64"), Path.of("lib"));
    Trees.write(dir, "usr/lib/" + "n".repeat(120) + "/" + "m".repeat(150), "deep");
    Trees.write(dir, "srv/ünïcödé/文件", "utf-8");
    Files.createDirectories(dir.resolve("tmp"));
    Files.setAttribute(dir.resolve("tmp"), "unix:mode", 01777);
    Files.getFileAttributeView(dir.resolve("etc/os-release"), UserDefinedFileAttributeView.class)
        .write("origin", ByteBuffer.wrap(new byte[] {0, (byte) 0x80, (byte) 0xff}));
    if (privileged) {
      Trees.write(dir, "home/user/.profile", "x");
      Files.setAttribute(dir.resolve("home/user"), "unix:uid", 1000);
      Files.setAttribute(dir.resolve("home/user/.profile"), "unix:uid", 3_000_000);
      Files.setAttribute(dir.resolve("home/user/.profile"), "unix:gid", 70_000);
      Files.createDirectories(dir.resolve("dev"));
      Files.createDirectories(dir.resolve("var/cache/opaque"));
      Trees.write(dir, "var/cache/opaque/kept", "k");
      OverlayFormat.setOpaque(dir.resolve("var/cache/opaque"));
      Trees.sh("cd '" + dir + "' && mknod dev/null c 1 3 && mknod dev/sda b 8 0"
          + " && mkfifo dev/initctl && mknod -m 000 var/cache/gone c 0 0");
    }
    Trees.fixTimes(dir, 1_650_000_000L);
    return dir;
  }

  @Test
  void roundTripIsByteIdentical() throws Exception {
    boolean root = Privileges.isRoot();
    Path source = richLayer(root);
    byte[] first = Trees.tar(source);
    Path back = Files.createDirectory(tmp.resolve("back"));
    LayerUnpacker.Result r = new LayerUnpacker().unpack(new ByteArrayInputStream(first),
        "layer test", back, LayerStack.empty());
    assertEquals(Digest.sha256(first), r.diffId());
    assertEquals(Trees.listing(source), Trees.listing(back));
    assertArrayEquals(first, Trees.tar(back));
    if (root) {
      assertTrue(FileMetadata.read(back.resolve("var/cache/gone")).isWhiteout());
      assertTrue(OverlayFormat.isOpaque(back.resolve("var/cache/opaque")));
      assertEquals(3_000_000, FileMetadata.read(back.resolve("home/user/.profile")).uid());
      assertEquals(FileMetadata.read(back.resolve("usr/bin/tool")).ino(),
          FileMetadata.read(back.resolve("usr/bin/tool-link")).ino());
      assertEquals(06755, FileMetadata.read(back.resolve("usr/bin/tool")).permissions());
    }
  }

  @Test
  void tarWhiteoutsBecomeDevicesAndOpaqueMarkersAttributes() throws Exception {
    RealParts.requireRoot();
    byte[] tar = new RawTar().dir("a/").file("a/.wh.gone", "").dir("o/")
        .file("o/.wh..wh..opq", "").file("o/new", "n").file(".wh.top", "")
        .file("implicit/.wh..wh..opq", "").bytes();
    Path dir = Files.createDirectory(tmp.resolve("l"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer t", dir, LayerStack.empty());
    assertTrue(FileMetadata.read(dir.resolve("a/gone")).isWhiteout());
    assertTrue(FileMetadata.read(dir.resolve("top")).isWhiteout());
    assertEquals(1_700_000_000L,
        FileMetadata.read(dir.resolve("top")).mtime().toInstant().getEpochSecond());
    assertTrue(OverlayFormat.isOpaque(dir.resolve("o")));
    assertTrue(OverlayFormat.isOpaque(dir.resolve("implicit")));
    assertFalse(Files.exists(dir.resolve("o/.wh..wh..opq")));
    List<String> names = Trees.names(Trees.tar(dir));
    assertTrue(names.containsAll(List.of(".wh.top", "a/.wh.gone", "o/.wh..wh..opq", "o/new")),
        names.toString());
  }

  @Test
  void aDirectoryAfterItsOwnWhiteoutIsOpaque() throws Exception {
    RealParts.requireRoot();
    Path dir = Files.createDirectory(tmp.resolve("l"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(new RawTar().file(".wh.d", "")
        .dir("d/").file("d/f", "f").file(".wh.e", "").file("e/inside", "i").bytes()),
        "layer t", dir, LayerStack.empty());
    assertTrue(FileMetadata.read(dir.resolve("d")).isDirectory());
    assertTrue(OverlayFormat.isOpaque(dir.resolve("d")));
    assertTrue(OverlayFormat.isOpaque(dir.resolve("e")));
  }

  @Test
  void compressionIsToldByMagicBytes() throws Exception {
    Path source = Files.createDirectory(tmp.resolve("src"));
    Trees.write(source, "f", "content");
    byte[] plain = Trees.tar(source);
    int i = 0;
    for (LayerCompression c : LayerCompression.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      LayerBlob blob = new LayerTarWriter().write(source, out, LayerTarOptions.of(c));
      Path dir = Files.createDirectory(tmp.resolve("c" + i++));
      LayerUnpacker.Result r = new LayerUnpacker().unpack(
          new ByteArrayInputStream(out.toByteArray()), "layer", dir, LayerStack.empty());
      assertEquals(blob.diffId(), r.diffId(), c.name());
      assertEquals(Digest.sha256(plain), r.diffId());
      assertEquals(blob.digest(), r.blobDigest());
      assertEquals(blob.size(), r.blobSize());
      assertEquals("content", Files.readString(dir.resolve("f")));
    }
    ByteArrayOutputStream bz = new ByteArrayOutputStream();
    try (OutputStream o = new BZip2CompressorOutputStream(bz)) {
      o.write(plain);
    }
    Path dir = Files.createDirectory(tmp.resolve("bz"));
    LayerUnpacker.Result r = new LayerUnpacker().unpackInto(
        new ByteArrayInputStream(bz.toByteArray()), "archive x.tar.bz2", dir);
    assertEquals(Digest.sha256(plain), r.diffId());
    assertEquals("content", Files.readString(dir.resolve("f")));
  }

  @Test
  void tellsTarArchivesFromOtherFiles() throws Exception {
    Path source = Files.createDirectory(tmp.resolve("src"));
    Trees.write(source, "f", "content");
    for (LayerCompression c : LayerCompression.values()) {
      Path blob = tmp.resolve("blob-" + c);
      try (OutputStream out = Files.newOutputStream(blob)) {
        new LayerTarWriter().write(source, out, LayerTarOptions.of(c));
      }
      assertTrue(LayerUnpacker.isTarArchive(blob), c.name());
    }
    Path text = Files.writeString(tmp.resolve("notes.txt"), "not an archive\n".repeat(100));
    assertFalse(LayerUnpacker.isTarArchive(text));
    Path gzText = tmp.resolve("notes.txt.gz");
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzText))) {
      out.write("just text, compressed".getBytes(StandardCharsets.UTF_8));
    }
    assertFalse(LayerUnpacker.isTarArchive(gzText), "a compressed file that is no tar");
    assertFalse(LayerUnpacker.isTarArchive(Files.write(tmp.resolve("empty"), new byte[0])));
  }

  @Test
  void xzArchivesGoThroughTheXzProgram() throws Exception {
    RealParts.require("xz");
    Path source = Files.createDirectory(tmp.resolve("src"));
    Trees.write(source, "etc/os-release", "ID=debian");
    byte[] plain = Trees.tar(source);
    Path tar = Files.write(tmp.resolve("rootfs.tar"), plain);
    RealParts.run(null, "xz", "-k", tar.toString());
    Path xz = tmp.resolve("rootfs.tar.xz");
    assertTrue(LayerUnpacker.isTarArchive(xz));
    Path root = Files.createDirectory(tmp.resolve("root"));
    LayerUnpacker.Result r;
    try (InputStream in = Files.newInputStream(xz)) {
      r = new LayerUnpacker().unpackInto(in, "archive rootfs.tar.xz", root);
    }
    assertEquals(Digest.sha256(plain), r.diffId());
    assertEquals(Digest.sha256(Files.readAllBytes(xz)), r.blobDigest());
    assertEquals("ID=debian", Files.readString(root.resolve("etc/os-release")));
  }

  @Test
  void diffIdCoversTrailingPadding() throws Exception {
    byte[] tar = new RawTar().file("f", "x").bytes();
    byte[] padded = Arrays.copyOf(tar, tar.length + 9216);
    Path dir = Files.createDirectory(tmp.resolve("p"));
    LayerUnpacker.Result r = new LayerUnpacker().unpack(new ByteArrayInputStream(padded),
        "layer", dir, LayerStack.empty());
    assertEquals(Digest.sha256(padded), r.diffId());
  }

  @Test
  void flatModeDeletesClearsAndReplaces() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("root"));
    Trees.write(root, "etc/old", "old");
    Trees.write(root, "var/cache/a", "a");
    Trees.write(root, "var/cache/b", "b");
    Trees.write(root, "usr/lib/x", "x");
    Files.createSymbolicLink(root.resolve("lib"), Path.of("/usr/lib"));
    Trees.write(root, "file-then-dir", "f");
    Trees.write(root, "plain", "a file, not a directory");
    byte[] tar = new RawTar()
        .file("plain/.wh.nothing", "")
        .file("etc/.wh.old", "")
        .file("var/cache/new", "n")
        .file("var/cache/.wh..wh..opq", "")
        .file("lib/y", "via symlink")
        .dir("file-then-dir/")
        .file("file-then-dir/inner", "i")
        .bytes();
    new LayerUnpacker().unpackInto(new ByteArrayInputStream(tar), "layer", root);
    assertFalse(Files.exists(root.resolve("etc/old")));
    assertTrue(Files.exists(root.resolve("etc")));
    assertEquals(List.of("new"), listNames(root.resolve("var/cache")));
    assertEquals("via symlink", Files.readString(root.resolve("usr/lib/y")));
    assertTrue(Files.isSymbolicLink(root.resolve("lib")));
    assertEquals("i", Files.readString(root.resolve("file-then-dir/inner")));
    Files.delete(root.resolve("lib")); // keeps JUnit from warning about a link out of @TempDir
  }

  @Test
  void flatOpaqueMarkersAfterTheirChildrenKeepOnlyThisArchivesEntries() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("root"));
    Trees.write(root, "d/sub/old", "old");
    Trees.write(root, "d/other", "other");
    Trees.write(root, "e/kept", "not below the opaque directory");
    byte[] tar = new RawTar().file("d/sub/f", "f").file("d/.wh..wh..opq", "").bytes();
    new LayerUnpacker().unpackInto(new ByteArrayInputStream(tar), "layer", root);
    assertEquals(List.of("sub"), listNames(root.resolve("d")));
    assertEquals(List.of("f"), listNames(root.resolve("d/sub")));
    assertEquals(List.of("kept"), listNames(root.resolve("e")));
  }

  @Test
  void layerModeCopiesUpParentsFromLowerLayers() throws Exception {
    Path lower = Files.createDirectory(tmp.resolve("lower"));
    Files.createDirectories(lower.resolve("usr/lib"));
    Files.setAttribute(lower.resolve("usr/lib"), "unix:mode", 0700);
    Trees.mtime(lower.resolve("usr/lib"), 1_000_000_000L);
    Files.createSymbolicLink(lower.resolve("lib"), Path.of("usr/lib"));
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(new RawTar().file("lib/x.so", "so")
        .bytes()), "layer", upper, LayerStack.of(List.of(lower)));
    assertEquals("so", Files.readString(upper.resolve("usr/lib/x.so")));
    assertFalse(Files.exists(upper.resolve("lib")));
    assertEquals(0700, FileMetadata.read(upper.resolve("usr/lib")).permissions());
  }

  @Test
  void parentsAreResolvedAgainAfterSymlinksChange() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("l"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(new RawTar()
        .dir("a/").file("a/x", "in dir a").dir("b/")
        .symlink("a", "b").file("a/y", "through the new symlink")
        .dir("a/").file("a/z", "in dir a again").bytes()), "layer", dir, LayerStack.empty());
    assertEquals("through the new symlink", Files.readString(dir.resolve("b/y")));
    assertEquals("in dir a again", Files.readString(dir.resolve("a/z")));
    assertFalse(Files.exists(dir.resolve("a/x")));

    Path lower = Files.createDirectory(tmp.resolve("lower"));
    Files.createDirectories(lower.resolve("usr/lib"));
    Files.createSymbolicLink(lower.resolve("lib"), Path.of("usr/lib"));
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(new RawTar().file("lib/x", "via link")
        .dir("lib/").file("lib/y", "real dir").bytes()), "layer", upper,
        LayerStack.of(List.of(lower)));
    assertEquals("via link", Files.readString(upper.resolve("usr/lib/x")));
    assertEquals("real dir", Files.readString(upper.resolve("lib/y")));
  }

  @Test
  void entriesReplacedLaterLeaveNothingBehind() throws Exception {
    Map<String, byte[]> xattr = Map.of("SCHILY.xattr.user.a", new byte[] {1});
    byte[] tar = new RawTar().dir("d/").pax(xattr).file("d/f", "f").pax(xattr).dir("e/")
        .file(".wh.d", "").symlink("e", "elsewhere").pax(xattr).file("g", "g")
        .symlink("g", "target").bytes();
    Path flat = Files.createDirectory(tmp.resolve("flat"));
    LayerUnpacker.Result r = new LayerUnpacker().unpackInto(new ByteArrayInputStream(tar),
        "layer", flat);
    assertEquals(List.of(), r.warnings());
    assertEquals(List.of("e", "g"), listNames(flat));
    assertTrue(Files.isSymbolicLink(flat.resolve("e")));
    Path layer = Files.createDirectory(tmp.resolve("layer"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer", layer,
        LayerStack.empty());
    assertTrue(Files.isSymbolicLink(layer.resolve("g")));
  }

  @Test
  void hardLinkToALowerFileCopiesItUp() throws Exception {
    Path lower = Files.createDirectory(tmp.resolve("lower"));
    Trees.write(lower, "bin/busybox", "bb");
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(new RawTar()
        .hardLink("bin/sh", "bin/busybox").bytes()), "layer", upper,
        LayerStack.of(List.of(lower)));
    assertEquals("bb", Files.readString(upper.resolve("bin/sh")));
    assertEquals(2, FileMetadata.read(upper.resolve("bin/busybox")).nlink());
  }

  @Test
  void binaryUserXattrsRoundTrip() throws Exception {
    byte[] value = {1, 0, (byte) 0x80, (byte) 0xc3, 0x28};
    byte[] tar = new RawTar().pax(Map.of("SCHILY.xattr.user.bin", value))
        .file("f", "x").bytes();
    Path dir = Files.createDirectory(tmp.resolve("x"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer", dir, LayerStack.empty());
    UserDefinedFileAttributeView view = Files.getFileAttributeView(dir.resolve("f"),
        UserDefinedFileAttributeView.class);
    ByteBuffer b = ByteBuffer.allocate(view.size("bin"));
    view.read("bin", b);
    assertArrayEquals(value, b.array());
    assertEquals("x", new String(Files.readAllBytes(dir.resolve("f")), StandardCharsets.UTF_8));
  }

  @Test
  void symlinkTargetsAreKeptByteForByte() throws Exception {
    byte[] tar = new RawTar().symlink("double", "a//b").symlink("slash", "dir/")
        .symlink("dots", "./x/../y").bytes();
    Path dir = Files.createDirectory(tmp.resolve("links"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer", dir, LayerStack.empty());
    assertEquals("a//b", Files.readSymbolicLink(dir.resolve("double")).toString());
    assertEquals("dir/", Files.readSymbolicLink(dir.resolve("slash")).toString());
    assertEquals("./x/../y", Files.readSymbolicLink(dir.resolve("dots")).toString());
    assertEquals("dir/", Trees.headers(Trees.tar(dir)).get("slash").linkName());
  }

  @Test
  void corruptCompressedDataIsAFormatErrorButAFailingSourceIsNot() throws Exception {
    Path source = Files.createDirectory(tmp.resolve("src"));
    Trees.write(source, "f", "x".repeat(100_000));
    for (LayerCompression c : List.of(LayerCompression.GZIP, LayerCompression.ZSTD)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new LayerTarWriter().write(source, out, LayerTarOptions.of(c));
      byte[] truncated = Arrays.copyOf(out.toByteArray(), out.size() / 2);
      Path dir = Files.createDirectory(tmp.resolve("t" + c));
      ImageFormatException e = assertThrows(ImageFormatException.class,
          () -> new LayerUnpacker().unpack(new ByteArrayInputStream(truncated), "layer z",
              dir, LayerStack.empty()));
      assertTrue(e.getMessage().startsWith("layer z: "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("connection reset");
      }
    };
    Path dir = Files.createDirectory(tmp.resolve("failing"));
    IOException e = assertThrows(
        IOException.class, () -> new LayerUnpacker().unpack(failing, "layer z", dir,
            LayerStack.empty()));
    assertEquals("connection reset", e.getMessage());
    assertEquals(IOException.class, e.getClass());
    byte[] badHeader = {0x1f, (byte) 0x8b, 8, (byte) 0xff, 0, 0, 0, 0, 0, 0, 1, 2, 3};
    Path bad = Files.createDirectory(tmp.resolve("bad"));
    assertThrows(ImageFormatException.class,
        () -> new LayerUnpacker().unpack(new ByteArrayInputStream(badHeader), "layer z", bad,
            LayerStack.empty()));
  }

  private static List<String> listNames(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
