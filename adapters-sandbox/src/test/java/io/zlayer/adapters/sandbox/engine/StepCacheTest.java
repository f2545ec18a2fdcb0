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
  void anEntryIsDatedWhenItWasWrittenToTheSecond() throws Exception {
    SandboxEngineSettings settings = new SandboxEngineSettings(temp.resolve("engine"));
    StepCache cache = new StepCache(settings.stepCacheDir(), settings.seenStepsDir());
    CacheKey key = CacheKey.stageStart("scratch", Platform.of("linux", "amd64")).next("RUN x");
    assertEquals(Optional.empty(), cache.createdAt(key));
    try (BuildScratch scratch = BuildScratch.create(settings, LockFiles.JVM)) {
      cache.record(key, CachedStep.noChange(), scratch);
    }
    Path entry = settings.stepCacheDir().resolve(key.hex());
    java.time.Instant written = java.time.Instant.parse("2025-03-04T05:06:07.891Z");
    Files.setLastModifiedTime(entry, java.nio.file.attribute.FileTime.from(written));
    assertEquals(Optional.of(java.time.Instant.parse("2025-03-04T05:06:07Z")),
        cache.createdAt(key));
  }

  @Test
  void aLayerWithoutBlobRoundTripsAndSeenHintsAreKept() throws Exception {
    SandboxEngineSettings settings = new SandboxEngineSettings(temp.resolve("engine"));
    StepCache cache = new StepCache(settings.stepCacheDir(), settings.seenStepsDir());
    CacheKey shape = CacheKey.stageStart("scratch", Platform.of("linux", "amd64"))
        .next("COPY . /");
    CacheKey key = shape.next("source sha256:abc");
    try (BuildScratch scratch = BuildScratch.create(settings, LockFiles.JVM)) {
      cache.record(key, CachedStep.layer(digest("tar")), scratch);
    }
    CachedStep read = cache.lookup(key).orElseThrow();
    assertEquals(Optional.of(digest("tar")), read.diffId());
    assertEquals(Optional.empty(), read.blob(LayerCompression.GZIP));
    org.junit.jupiter.api.Assertions.assertFalse(cache.seenBefore(shape));
    cache.noteSeen(shape);
    cache.noteSeen(shape); // twice is fine
    org.junit.jupiter.api.Assertions.assertTrue(cache.seenBefore(shape));
    org.junit.jupiter.api.Assertions.assertFalse(cache.seenBefore(key));
  }

  @Test
  void entriesRoundTripAndAddBlobsPerCompression() throws Exception {
    SandboxEngineSettings settings = new SandboxEngineSettings(temp.resolve("engine"));
    StepCache cache = new StepCache(settings.stepCacheDir(), settings.seenStepsDir());
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
