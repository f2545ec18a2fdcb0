package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written by GNU tar read by zlayer, and zlayer's layers read by GNU tar. */
class TarInteropTest {
  @TempDir
  Path tmp;
  Path tree;
  String longName;
  String longTarget;

  @BeforeEach
  void tree() throws Exception {
    RealParts.require("tar");
    tree = Files.createDirectory(tmp.resolve("tree"));
    longName = "p".repeat(90) + "/" + "q".repeat(60);
    longTarget = "/" + "t".repeat(150);
    Trees.write(tree, longName, "long");
    Trees.write(tree, "ünï/文件", "utf8");
    Files.createSymbolicLink(tree.resolve("sym"), Path.of(longTarget));
    Trees.write(tree, "hard/a", "linked");
    Files.createLink(tree.resolve("hard/b"), tree.resolve("hard/a"));
    Trees.fixTimes(tree, 1_600_000_000L);
  }

  private byte[] gnuTar(String... options) throws Exception {
    Path out = tmp.resolve("out.tar");
    StringBuilder command = new StringBuilder("tar -C '" + tree + "' --sort=name");
    for (String o : options) {
      command.append(' ').append(o);
    }
    command.append(" -cf '").append(out).append("' .");
    Trees.sh(command.toString());
    byte[] bytes = Files.readAllBytes(out);
    Files.delete(out);
    return bytes;
  }

  @Test
  void readsGnuUstarAndPaxFormats() throws Exception {
    for (String format : List.of("gnu", "ustar", "pax", "oldgnu")) {
      // plain ustar has no room for long link targets, non-ASCII names or big ids
      String[] options = format.equals("ustar")
          ? new String[] {"--format=ustar", "--exclude=./sym", "--exclude=./ünï"}
          : new String[] {"--format=" + format, "--owner=:3000000", "--group=:4000000"};
      Map<String, TarHeader> headers = Trees.headers(gnuTar(options));
      assertTrue(headers.containsKey("./" + longName), format + ": " + headers.keySet());
      TarHeader file = headers.get("./" + longName);
      assertEquals(4, file.size());
      assertEquals(1_600_000_000L, file.mtime().toInstant().getEpochSecond());
      assertEquals(TarHeader.Kind.HARD_LINK, headers.get("./hard/b").kind());
      assertEquals("./hard/a", headers.get("./hard/b").linkName());
      if (!format.equals("ustar")) {
        assertEquals(longTarget, headers.get("./sym").linkName(), format);
        assertEquals(3_000_000, file.uid(), format);
        assertEquals(4_000_000, file.gid(), format);
        assertTrue(headers.containsKey("./ünï/文件"), format);
      }
      Path dir = Files.createDirectory(tmp.resolve("unpacked-" + format));
      new LayerUnpacker().unpack(new ByteArrayInputStream(gnuTar(options)), "archive " + format,
          dir, LayerStack.empty());
      assertEquals("long", Files.readString(dir.resolve(longName)));
    }
  }

  @Test
  void readsGnuTarXattrs() throws Exception {
    Files.getFileAttributeView(tree.resolve("hard/a"),
        java.nio.file.attribute.UserDefinedFileAttributeView.class)
        .write("color", java.nio.ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));
    Map<String, TarHeader> headers = Trees.headers(gnuTar("--format=pax", "--xattrs",
        "--xattrs-include='user.*'"));
    assertEquals("blue", Trees.utf8(headers.get("./hard/a").xattrs().get("user.color")));
  }

  @Test
  void sparseFilesInEveryGnuFormatUnpackWithTheirHoles() throws Exception {
    Path sparse = tree.resolve("sparse");
    Trees.sh("truncate -s 10M '" + sparse + "' && printf x | dd of='" + sparse
        + "' bs=1 seek=5000000 conv=notrunc 2>/dev/null && printf y | dd of='" + sparse
        + "' bs=1 seek=9000000 conv=notrunc 2>/dev/null");
    Trees.sh("truncate -s 3M '" + tree.resolve("all-hole") + "'");
    byte[] expected = Files.readAllBytes(sparse);
    List<String[]> variants = List.of(new String[] {"--format=gnu"},
        new String[] {"--format=pax", "--sparse-version=0.0"},
        new String[] {"--format=pax", "--sparse-version=0.1"},
        new String[] {"--format=pax", "--sparse-version=1.0"});
    int i = 0;
    for (String[] variant : variants) {
      String[] options = java.util.Arrays.copyOf(variant, variant.length + 1);
      options[variant.length] = "--sparse";
      byte[] tar = gnuTar(options);
      assertTrue(tar.length < 2 * 1024 * 1024, "GNU tar wrote it sparse");
      Path dir = Files.createDirectory(tmp.resolve("sparse-" + i++));
      new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer s", dir,
          LayerStack.empty());
      String what = String.join(" ", variant);
      assertTrue(java.util.Arrays.equals(expected, Files.readAllBytes(dir.resolve("sparse"))),
          what);
      assertEquals(3 * 1024 * 1024, Files.size(dir.resolve("all-hole")), what);
      long blocks = Long.parseLong(RealParts.run(null, "stat", "-c", "%b",
          dir.resolve("sparse").toString()).strip());
      assertTrue(blocks * 512 < 1024 * 1024, what + ": holes kept, " + blocks + " blocks");
      assertEquals(Trees.listing(tree), Trees.listing(dir), what);
    }
  }

  @Test
  void malformedSparseMapsAreRefused() throws Exception {
    String[][] maps = {{"0,4,2,4", "8"}, {"0,4,100,4", "8"}, {"0,4", "9"}, {"0,4,x", "4"}};
    for (String[] m : maps) {
      byte[] data = "a".repeat(Integer.parseInt(m[1])).getBytes(StandardCharsets.UTF_8);
      byte[] tar = new RawTar().pax(Map.of("GNU.sparse.map", m[0].getBytes(),
          "GNU.sparse.size", "50".getBytes(), "GNU.sparse.name", "s".getBytes()))
          .file("GNUSparseFile/s", new String(data, StandardCharsets.UTF_8)).bytes();
      Path dir = Files.createDirectory(tmp.resolve("bad" + m[0].hashCode()));
      ImageFormatException e = assertThrows(ImageFormatException.class, () ->
          new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer s", dir,
              LayerStack.empty()), m[0]);
      assertTrue(e.getMessage().startsWith("layer s: sparse entry \"s\""), e.getMessage());
    }
  }

  @Test
  void gnuTarReadsZlayerLayers() throws Exception {
    Path layerTar = tmp.resolve("layer.tar");
    Files.write(layerTar, Trees.tar(tree));
    String listing = RealParts.run(null, "tar", "-tf", layerTar.toString());
    List<String> names = listing.lines().toList();
    assertTrue(names.contains(longName), names.toString());
    assertTrue(names.contains("ünï/文件"), names.toString());
    Path extracted = Files.createDirectory(tmp.resolve("extracted"));
    RealParts.run(null, "tar", "--numeric-owner", "-xpf", layerTar.toString(), "-C",
        extracted.toString());
    Path ours = Files.createDirectory(tmp.resolve("ours"));
    new LayerUnpacker().unpack(Files.newInputStream(layerTar), "layer", ours,
        LayerStack.empty());
    assertEquals(Trees.listing(extracted), Trees.listing(ours));
    assertEquals(Trees.listing(tree), Trees.listing(ours));
    assertEquals(FileMetadata.read(extracted.resolve("hard/a")).ino(),
        FileMetadata.read(extracted.resolve("hard/b")).ino());
  }
}
