package io.zlayer.adapters.sandbox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.port.BuildCache.CachePruneReport;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.service.ManageLocalImagesService;
import io.zlayer.application.testing.RealParts;
import io.zlayer.application.usecase.ManageLocalImages.PruneSummary;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code zlayer prune} over the sandbox engine's cache, with real builds (needs root). */
@Timeout(180)
class BuildCachePruneIT {
  private static final String KEPT = "FROM busybox\nRUN echo a > /a; echo ran-a\n";
  private static final String DROPPED = "FROM busybox\nRUN echo b > /b; echo ran-b\n";

  @TempDir Path temp;
  private EngineHarness h;
  private ManageLocalImagesService images;

  @BeforeAll
  static void realParts() {
    RealParts.require("bwrap");
    RealParts.require("unshare");
    RealParts.require("busybox");
    RealParts.requireRoot();
  }

  @BeforeEach
  void harness() throws Exception {
    h = new EngineHarness(temp);
    images = new ManageLocalImagesService(h.store, List.of(new SandboxBuildCache(h.settings)));
  }

  @Test
  void pruneDropsLayersCacheEntriesAndScratchNoImageNeeds() throws Exception {
    BuiltImage kept = h.run(KEPT);
    h.store.tag(ImageReference.parse("kept:latest"), kept.manifest());
    BuiltImage dropped = h.run(DROPPED);
    Digest keptLayer = lastDiffId(kept);
    Digest droppedLayer = lastDiffId(dropped);
    Map<String, Optional<Digest>> entriesBefore = stepEntries();
    assertTrue(entriesBefore.containsValue(Optional.of(droppedLayer)), entriesBefore.toString());
    Path dead = Files.createDirectories(h.settings.scratchDir().resolve("dead-build/upper"));
    Files.writeString(dead.resolve("f"), "left by a killed build");

    PruneSummary summary = images.prune();
    CachePruneReport cache = summary.buildCache();
    assertFalse(cache.busy());
    assertEquals(1, cache.layersRemoved(), cache.toString());
    assertEquals(1, cache.scratchRemoved(), cache.toString());
    assertTrue(cache.bytesFreed() > 0, cache.toString());
    // (the store keeps the unnamed image's blobs: this process leased them; see OciLayoutStore)
    assertFalse(Files.exists(h.settings.layersDir().resolve(droppedLayer.hex())));
    assertTrue(Files.isDirectory(h.settings.layersDir().resolve(keptLayer.hex())));
    for (Digest base : h.config(kept).diffIds()) {
      assertTrue(Files.isDirectory(h.settings.layersDir().resolve(base.hex())), base.toString());
    }
    assertFalse(Files.exists(h.settings.scratchDir().resolve("dead-build")));
    Map<String, Optional<Digest>> entriesAfter = stepEntries();
    Map<String, Optional<Digest>> expected = new TreeMap<>(entriesBefore);
    expected.values().removeIf(v -> v.equals(Optional.of(droppedLayer)));
    assertEquals(expected, entriesAfter);
    assertEquals(entriesBefore.size() - entriesAfter.size(), cache.stepsRemoved());

    // what an image still has stays cached; what none has is built again
    h.run(KEPT);
    assertEquals(List.of(), h.output());
    BuiltImage again = h.run(DROPPED);
    assertEquals(List.of("ran-b"), h.output());
    // (a RUN that ran again makes files with new mtimes, so its diff_id may differ)
    assertTrue(Files.isDirectory(h.settings.layersDir().resolve(lastDiffId(again).hex())));

    PruneSummary nothingLeft = images.prune();
    assertEquals(1, nothingLeft.buildCache().layersRemoved(), "the rebuilt, unnamed layer");
  }

  @Test
  void pruneLeavesTheCacheAloneWhileABuildRuns() throws Exception {
    Digest droppedLayer = lastDiffId(h.run(DROPPED)); // unnamed: prune would remove it
    CompletableFuture<BuiltImage> running = CompletableFuture.supplyAsync(() -> {
      try {
        return h.run("FROM busybox\nRUN sleep 3\n");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (h.events(BuildEvent.StepStarted.class).stream()
        .noneMatch(e -> e.text().startsWith("RUN sleep"))) {
      assertTrue(System.nanoTime() < deadline, "the build did not start its RUN");
      assertFalse(running.isDone(), "the build ended early");
      Thread.sleep(20);
    }
    PruneSummary during = images.prune();
    assertTrue(during.buildCache().busy());
    assertEquals(new CachePruneReport(0, 0, 0, 0, true), during.buildCache());
    assertTrue(Files.isDirectory(h.settings.layersDir().resolve(droppedLayer.hex())));
    running.get(120, TimeUnit.SECONDS);

    PruneSummary after = images.prune();
    assertFalse(after.buildCache().busy());
    assertFalse(Files.exists(h.settings.layersDir().resolve(droppedLayer.hex())));
  }

  private Digest lastDiffId(BuiltImage image) throws Exception {
    List<Digest> ids = h.config(image).diffIds();
    return ids.get(ids.size() - 1);
  }

  /** Every step cache entry: file name to the layer it names (empty: no-change). */
  private Map<String, Optional<Digest>> stepEntries() throws Exception {
    Map<String, Optional<Digest>> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(h.settings.stepCacheDir())) {
      for (Path f : files.toList()) {
        CachedStep step = StepCache.parse(Files.readString(f, StandardCharsets.UTF_8))
            .orElseThrow();
        out.put(f.getFileName().toString(), step.diffId());
      }
    }
    return out;
  }
}
