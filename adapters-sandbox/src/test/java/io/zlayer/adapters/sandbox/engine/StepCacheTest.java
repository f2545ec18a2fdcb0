package io.zlayer.adapters.sandbox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepCacheTest {
  @TempDir Path temp;

  private static Digest digest(String text) {
    return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void entriesRoundTripAndAddBlobsPerCompression() throws Exception {
    SandboxEngineSettings settings = new SandboxEngineSettings(temp.resolve("engine"));
    StepCache cache = new StepCache(settings.stepCacheDir());
    CacheKey key = CacheKey.stageStart("scratch", Platform.of("linux", "amd64")).next("RUN x");
    assertEquals(Optional.empty(), cache.lookup(key));
    try (BuildScratch scratch = BuildScratch.create(settings, LockFiles.JVM)) {
      CachedStep layer = CachedStep.layer(digest("tar"),
          new CachedStep.Blob(LayerCompression.GZIP, digest("gz"), 12));
      cache.record(key, layer, scratch);
      assertEquals(Optional.of(layer), cache.lookup(key));
      CachedStep both = layer.with(new CachedStep.Blob(LayerCompression.ZSTD, digest("zst"), 9));
      cache.record(key, both, scratch);
      CachedStep read = cache.lookup(key).orElseThrow();
      assertEquals(Optional.of(new CachedStep.Blob(LayerCompression.ZSTD, digest("zst"), 9)),
          read.blob(LayerCompression.ZSTD));
      assertEquals(12, read.blob(LayerCompression.GZIP).orElseThrow().size());
      CacheKey other = key.next("RUN y");
      cache.record(other, CachedStep.noChange(), scratch);
      assertEquals(Optional.of(CachedStep.noChange()), cache.lookup(other));
      try (Stream<Path> left = Files.list(scratch.dir())) {
        assertEquals(List.of(), left.toList(), "entries are written in scratch and moved");
      }
    }
  }

  @Test
  void entriesKeepWhenTheStepRan() {
    Instant ran = Instant.parse("2026-01-02T03:04:05Z");
    CachedStep layer = CachedStep.layer(digest("tar"),
        new CachedStep.Blob(LayerCompression.GZIP, digest("gz"), 12)).createdAt(ran);
    assertEquals(Optional.of(layer), StepCache.parse(StepCache.format(layer)));
    CachedStep both = layer.with(new CachedStep.Blob(LayerCompression.ZSTD, digest("zst"), 9));
    assertEquals(Optional.of(ran), StepCache.parse(StepCache.format(both)).orElseThrow()
        .created());
    CachedStep none = CachedStep.noChange().createdAt(ran);
    assertEquals("zlayer-step-cache 1\nno-change\ncreated 1767323045\n", StepCache.format(none));
    assertEquals(Optional.of(none), StepCache.parse(StepCache.format(none)));
    assertEquals(Optional.of(CachedStep.noChange()),
        StepCache.parse("zlayer-step-cache 1\nno-change\n"), "entries of earlier versions");
    assertEquals(Optional.empty(), StepCache.parse("zlayer-step-cache 1\nno-change\ncreated x\n"));
  }

  @Test
  void damagedEntriesAreMisses() {
    assertEquals(Optional.empty(), StepCache.parse(""));
    assertEquals(Optional.empty(), StepCache.parse("zlayer-step-cache 1\nlayer sha256:zz\n"));
    assertEquals(Optional.empty(), StepCache.parse("zlayer-step-cache 1\nlayer "
        + digest("a") + "\nblob gzip " + digest("b") + "\n"));
    assertEquals(Optional.empty(), StepCache.parse("zlayer-step-cache 2\nno-change\n"));
    assertTrue(StepCache.parse(StepCache.format(CachedStep.noChange())).isPresent());
  }

  @Test
  void keysChainAndSeparateTheirParts() {
    Platform amd64 = Platform.of("linux", "amd64");
    CacheKey start = CacheKey.stageStart("image sha256:1", amd64);
    assertNotEquals(start, CacheKey.stageStart("image sha256:1", Platform.of("linux", "arm64")));
    assertEquals(start.next("a", "b"), CacheKey.stageStart("image sha256:1", amd64)
        .next("a", "b"));
    assertNotEquals(start.next("ab", ""), start.next("a", "b"));
    assertNotEquals(start.next("a").next("b"), start.next("b").next("a"));
  }
}
