package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code zlayer prune} with the real jar clears the sandbox build cache of removed images. */
@Timeout(600)
class SandboxPruneIT {
  @TempDir Path dir;

  @Test
  void pruneRemovesTheUnpackedLayerAndCacheEntryOfARemovedImage() throws Exception {
    RealParts.require("bwrap");
    RealParts.require("unshare");
    RealParts.requireRoot();
    ImageReference base = ImageReference.parse("localhost/zlayer-test/busybox:1");
    BusyboxImage.writeInto(new OciLayoutStore(dir.resolve("home/store")), base, dir);
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"),
        "FROM " + base + "\nRUN echo hi > /hi\n");
    ZlayerJar zlayer = new ZlayerJar(dir.resolve("home"));
    zlayer.run("build", "--backend", "sandbox", "--progress", "quiet", "-t", "built:1",
        context.toString()).ok();
    Path layers = dir.resolve("home/sandbox/layers");
    assertEquals(2, names(layers).size(), "the base layer and the RUN's");

    zlayer.run("rmi", "built:1").ok();
    ZlayerJar.Result pruned = zlayer.run("prune", "-f").ok();
    assertTrue(pruned.out().contains(
        "Deleted 1 unpacked layer, 1 build cache entry, 0 abandoned build directories"),
        pruned.out());
    assertEquals("", pruned.err());
    assertEquals(1, names(layers).size(), "the base image's layer stays");

    ZlayerJar.Result again = zlayer.run("prune", "-f").ok();
    assertTrue(again.out().startsWith("Deleted 0 blobs\nTotal reclaimed space: "), again.out());
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
