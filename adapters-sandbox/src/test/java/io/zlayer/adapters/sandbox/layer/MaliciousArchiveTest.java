package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.error.ImageFormatException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted archives that try to write outside the layer directory. Each must fail with one clear
 * line or be neutralised inside the layer; the sentinel tree around the layer never changes.
 */
class MaliciousArchiveTest {
  @TempDir
  Path sentinel;
  Path layer;
  Path outside;
  List<String> before;

  @BeforeEach
  void setUp() throws Exception {
    outside = Files.createDirectory(sentinel.resolve("outside"));
    Trees.write(outside, "secret", "do not touch");
    Trees.write(outside, "passwd", "root:x:0:0");
    layer = Files.createDirectory(sentinel.resolve("layer"));
    before = Trees.listing(outside);
  }

  @AfterEach
  void nothingEscaped() throws Exception {
    assertEquals(before, Trees.listing(outside), "the outside directory changed");
    try (var s = Files.list(sentinel)) {
      assertEquals(List.of("layer", "outside"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals("do not touch", Files.readString(outside.resolve("secret")));
  }

  private Path current;
  private int count;

  /** Unpacks into a fresh empty layer directory, which {@code current} then names. */
  private LayerUnpacker.Result unpack(byte[] tar) throws Exception {
    current = Files.createDirectory(layer.resolve("u" + count++));
    return new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer sha256:abc",
        current, LayerStack.empty());
  }

  private LayerUnpacker.Result unpackFlat(byte[] tar) throws Exception {
    return new LayerUnpacker().unpackInto(new ByteArrayInputStream(tar), "layer sha256:abc",
        layer);
  }

  private String abs(Path p) {
    return p.toAbsolutePath().toString();
  }

  @Test
  void dotDotNamesAreRefused() {
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().file("../outside/secret", "pwned").bytes()));
    assertEquals("layer sha256:abc: entry \"../outside/secret\" escapes the root filesystem",
        e.getMessage());
    assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().file("a/../../outside/x", "pwned").bytes()));
    assertThrows(ImageFormatException.class,
        () -> unpackFlat(new RawTar().file("./../outside/x", "pwned").bytes()));
  }

  @Test
  void absoluteNamesStayInsideTheRoot() throws Exception {
    unpack(new RawTar().file(abs(outside) + "/secret", "neutralised")
        .file("/../../x", "x").bytes());
    Path inside = current.resolve(abs(outside).substring(1)).resolve("secret");
    assertEquals("neutralised", Files.readString(inside));
    assertEquals("x", Files.readString(current.resolve("x")));
  }

  @Test
  void writingThroughASymlinkStaysInsideTheRoot() throws Exception {
    unpack(new RawTar().symlink("a", abs(outside)).file("a/secret", "through").bytes());
    assertTrue(Files.isSymbolicLink(current.resolve("a")));
    assertEquals("through",
        Files.readString(current.resolve(abs(outside).substring(1)).resolve("secret")));
  }

  @Test
  void relativeAndChainedSymlinksStayInsideTheRoot() throws Exception {
    unpack(new RawTar()
        .dir("d/")
        .symlink("d/up", "../../../../../../../../outside")
        .symlink("c", "d/up")
        .symlink("b", "c")
        .symlink("a", "/b")
        .file("a/secret", "chained")
        .bytes());
    assertEquals("chained", Files.readString(current.resolve("outside/secret")));
  }

  @Test
  void aSymlinkReplacingADirectoryIsNotFollowedOutside() throws Exception {
    unpack(new RawTar().dir("d/").file("d/f", "1").symlink("d", abs(outside))
        .file("d/passwd", "pwned").bytes());
    assertTrue(Files.isSymbolicLink(current.resolve("d")));
    assertTrue(Files.exists(current.resolve(abs(outside).substring(1)).resolve("passwd")));
  }

  @Test
  void aSymlinkReplacingADirectoryBetweenLayersStaysInside() throws Exception {
    Path l1 = Files.createDirectory(layer.resolve("l1"));
    Path l2 = Files.createDirectory(layer.resolve("l2"));
    Path l3 = Files.createDirectory(layer.resolve("l3"));
    LayerUnpacker u = new LayerUnpacker();
    u.unpack(new ByteArrayInputStream(new RawTar().dir("etc/").file("etc/passwd", "1").bytes()),
        "layer 1", l1, LayerStack.empty());
    u.unpack(new ByteArrayInputStream(new RawTar().symlink("etc", abs(outside)).bytes()),
        "layer 2", l2, LayerStack.of(List.of(l1)));
    u.unpack(new ByteArrayInputStream(new RawTar().file("etc/passwd", "pwned").bytes()),
        "layer 3", l3, LayerStack.of(List.of(l2, l1)));
    Path landed = l3.resolve(abs(outside).substring(1)).resolve("passwd");
    assertEquals("pwned", Files.readString(landed));
    LayerStack stack = LayerStack.of(List.of(l3, l2, l1));
    assertTrue(stack.lookup("/etc").get().metadata().isSymlink());
  }

  @Test
  void hardLinksToOutsideAreRefused() {
    ImageFormatException abs = assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().hardLink("h", abs(outside) + "/secret").bytes()));
    assertTrue(abs.getMessage().contains("which does not exist"), abs.getMessage());
    ImageFormatException up = assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().hardLink("h", "../outside/secret").bytes()));
    assertEquals("layer sha256:abc: entry \"h\" is a hard link to \"../outside/secret\","
        + " which escapes the root filesystem", up.getMessage());
    assertThrows(ImageFormatException.class, () -> unpack(new RawTar()
        .symlink("s", abs(outside)).hardLink("h", "s/secret").bytes()));
    assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().hardLink("passwd", "/etc/passwd").bytes()));
    assertThrows(ImageFormatException.class,
        () -> unpackFlat(new RawTar().hardLink("h", "../outside/secret").bytes()));
  }

  @Test
  void hardLinksToDirectoriesAreRefused() {
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().dir("d/").hardLink("h", "d").bytes()));
    assertTrue(e.getMessage().contains("hard link to the directory"), e.getMessage());
  }

  @Test
  void whiteoutsOfDotAndDotDotAreRefused() {
    ImageFormatException dotdot = assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().dir("a/").file("a/.wh...", "").bytes()));
    assertEquals("layer sha256:abc: entry \"a/.wh...\" is a whiteout for an invalid name",
        dotdot.getMessage());
    assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().file(".wh..", "").bytes()));
    assertThrows(ImageFormatException.class,
        () -> unpackFlat(new RawTar().file("a/.wh...", "").bytes()));
  }

  @Test
  void flatWhiteoutsThroughSymlinksDeleteOnlyInside() throws Exception {
    Trees.write(layer, "outside/secret", "inside copy");
    unpackFlat(new RawTar().symlink("s", abs(outside)).file("s/.wh.secret", "").bytes());
    assertFalse(Files.exists(layer.resolve(abs(outside).substring(1)).resolve("secret")));
    unpackFlat(new RawTar().symlink("t", "../../../outside").file("t/.wh.secret", "").bytes());
    assertFalse(Files.exists(layer.resolve("outside/secret")));
  }

  @Test
  void flatOpaqueMarkersThroughSymlinksClearOnlyInside() throws Exception {
    Trees.write(layer, "outside/secret", "inside copy");
    unpackFlat(new RawTar().symlink("s", abs(outside)).file("s/.wh..wh..opq", "").bytes());
    unpackFlat(new RawTar().symlink("t", "../../../outside").file("t/.wh..wh..opq", "")
        .bytes());
    assertFalse(Files.exists(layer.resolve("outside/secret")), "the inside copy was cleared");
  }

  @Test
  void whiteoutsThatClimbOutAreRefused() {
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().dir("a/").file("a/../../outside/.wh.secret", "").bytes()));
    assertTrue(e.getMessage().contains("escapes the root filesystem"), e.getMessage());
    assertThrows(ImageFormatException.class,
        () -> unpackFlat(new RawTar().file("../outside/.wh.secret", "").bytes()));
    assertThrows(ImageFormatException.class,
        () -> unpackFlat(new RawTar().file("../.wh.outside", "").bytes()));
  }

  @Test
  void hardLinksThroughALowerLayersSymlinkStayInside() throws Exception {
    Path l1 = Files.createDirectory(layer.resolve("l1"));
    Path l2 = Files.createDirectory(layer.resolve("l2"));
    LayerUnpacker u = new LayerUnpacker();
    u.unpack(new ByteArrayInputStream(new RawTar().symlink("s", abs(outside))
        .symlink("up", "../../../../outside").bytes()), "layer 1", l1, LayerStack.empty());
    for (String target : List.of("s/secret", "up/secret")) {
      assertThrows(ImageFormatException.class, () -> u.unpack(new ByteArrayInputStream(
          new RawTar().hardLink("h", target).bytes()), "layer 2", l2,
          LayerStack.of(List.of(l1))));
    }
    assertEquals(1, FileMetadata.read(outside.resolve("secret")).nlink(), "no link to it");
  }

  @Test
  void flatWritesThroughSymlinksStayInside() throws Exception {
    Files.createSymbolicLink(layer.resolve("etc"), Path.of(abs(outside)));
    unpackFlat(new RawTar().file("etc/passwd", "pwned").bytes());
    assertEquals("pwned",
        Files.readString(layer.resolve(abs(outside).substring(1)).resolve("passwd")));
  }

  @Test
  void aFileNeverReplacesTheTargetOfASymlink() throws Exception {
    unpack(new RawTar().symlink("f", abs(outside) + "/secret").file("f", "replaced").bytes());
    assertFalse(Files.isSymbolicLink(current.resolve("f")));
    assertEquals("replaced", Files.readString(current.resolve("f")));
  }

  @Test
  void symlinkLoopsFailCleanly() {
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> unpack(new RawTar().symlink("a", "b").symlink("b", "a").file("a/x", "").bytes()));
    assertEquals("layer sha256:abc: entry \"a/x\" goes through more than 255 symlinks",
        e.getMessage());
  }

  @Test
  void devicesAreSkippedWhenNotAllowed() throws Exception {
    current = Files.createDirectory(layer.resolve("nodev"));
    LayerUnpacker.Result r = new LayerUnpacker(false).unpack(new ByteArrayInputStream(
        new RawTar().device("dev/sda", '4', 8, 0).device("dev/mem", '3', 1, 1).bytes()),
        "layer sha256:abc", current, LayerStack.empty());
    assertFalse(Files.exists(current.resolve("dev/sda")));
    assertFalse(Files.exists(current.resolve("dev/mem")));
    assertEquals(1, r.warnings().size());
    assertTrue(r.warnings().get(0).contains("device nodes skipped"), r.warnings().get(0));
  }

  @Test
  void overlayAttributesInTheArchiveAreIgnored() throws Exception {
    unpack(new RawTar()
        .pax(Map.of("SCHILY.xattr.user.overlay.opaque", "y".getBytes(StandardCharsets.UTF_8),
            "SCHILY.xattr.user.overlay.redirect", "/x".getBytes(StandardCharsets.UTF_8)))
        .dir("d/").bytes());
    assertFalse(OverlayFormat.isOpaque(current.resolve("d")));
  }

  @Test
  void setuidBitsAndOwnersAreKeptOnlyAsGiven() throws Exception {
    RealParts.requireRoot();
    unpack(new RawTar().file("ok", "x").bytes());
    assertEquals(0644, FileMetadata.read(current.resolve("ok")).permissions());
  }

  @Test
  void truncatedAndCorruptArchivesFailWithOneLine() {
    byte[] good = new RawTar().file("f", "content").bytes();
    byte[] truncated = java.util.Arrays.copyOf(good, 700);
    ImageFormatException t = assertThrows(ImageFormatException.class, () -> unpack(truncated));
    assertTrue(t.getMessage().startsWith("layer sha256:abc: "), t.getMessage());
    byte[] corrupt = good.clone();
    corrupt[10] ^= 1;
    ImageFormatException c = assertThrows(ImageFormatException.class, () -> unpack(corrupt));
    assertTrue(c.getMessage().contains("checksum"), c.getMessage());
  }
}
