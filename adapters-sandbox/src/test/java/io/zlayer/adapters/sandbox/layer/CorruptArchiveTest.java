package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.zlayer.domain.error.ImageFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of randomly damaged archives (seeded, so any failure replays): unpacking may fail,
 * but only with a checked error, and never writes outside its directory.
 */
class CorruptArchiveTest {
  @TempDir
  Path tmp;

  @Test
  void damagedArchivesFailCleanly() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Trees.write(outside, "secret", "s");
    byte[] base = new RawTar()
        .dir("etc/").file("etc/passwd", "root:x:0:0")
        .pax(Map.of("path", ("long/" + "n".repeat(150)).getBytes(StandardCharsets.UTF_8),
            "SCHILY.xattr.user.a", new byte[] {1, (byte) 0x80}))
        .file("placeholder", "long content")
        .symlink("link", "/etc").hardLink("hard", "etc/passwd")
        .file("etc/.wh.gone", "").file("etc/.wh..wh..opq", "")
        .bytes();
    Random random = new Random(20261126L);
    int failures = 0;
    for (int round = 0; round < 800; round++) {
      byte[] damaged = base.clone();
      int flips = 1 + random.nextInt(8);
      for (int i = 0; i < flips; i++) {
        int at = random.nextInt(Math.min(damaged.length, 4096));
        damaged[at] = (byte) random.nextInt(256);
      }
      if (random.nextInt(10) == 0) {
        damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
      }
      Path layer = Files.createDirectory(tmp.resolve("l" + round));
      Path flat = Files.createDirectory(tmp.resolve("f" + round));
      for (boolean layerMode : new boolean[] {true, false}) {
        try {
          if (layerMode) {
            new LayerUnpacker(false).unpack(new ByteArrayInputStream(damaged), "layer r" + round,
                layer, LayerStack.empty());
          } else {
            new LayerUnpacker(false).unpackInto(new ByteArrayInputStream(damaged),
                "layer r" + round, flat);
          }
        } catch (ImageFormatException | IOException e) {
          failures++;
          if (e.getMessage() == null || e.getMessage().contains("\n")) {
            fail("round " + round + ": not one line: " + e.getMessage());
          }
        } catch (RuntimeException e) {
          throw new AssertionError("round " + round + " (layer mode " + layerMode + ")", e);
        }
      }
      FileTrees.deleteRecursively(layer);
      FileTrees.deleteRecursively(flat);
    }
    assertEquals(java.util.List.of("secret"), Trees.listing(outside).stream()
        .map(l -> l.split(" ")[0]).toList());
    assertEquals("s", Files.readString(outside.resolve("secret")));
    if (failures == 0) {
      fail("no damaged archive was refused: the damage does not reach the headers");
    }
  }
}
