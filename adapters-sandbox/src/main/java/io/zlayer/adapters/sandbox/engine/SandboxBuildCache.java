package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.ScratchFiles;
import io.zlayer.application.port.BuildCache;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The sandbox engine's part of {@code zlayer prune}. Every build holds {@code locks/builds.lock}
 * shared while it runs (it uses layer directories and cache entries throughout); prune takes it
 * exclusively without waiting, so it never removes what a running build uses, and when a build
 * runs it removes nothing. A build that starts during a prune waits for it.
 *
 * <p>Removed: layer directories whose diff_id no stored image has, with their lock files; step
 * cache entries that name such a layer or cannot be read; the COPY-seen hints
 * ({@link StepCache#seenBefore}, which builds write again); scratch of builds that died. Kept:
 * {@code no-change} entries (they need no layer) and {@code RUN --mount=type=cache} directories,
 * which belong to no image.
 */
public final class SandboxBuildCache implements BuildCache {
  private final SandboxEngineSettings settings;
  private final LockFiles locks;

  public SandboxBuildCache(SandboxEngineSettings settings) {
    this(settings, LockFiles.JVM);
  }

  SandboxBuildCache(SandboxEngineSettings settings, LockFiles locks) {
    this.settings = settings;
    this.locks = locks;
  }

  /** The lock every build holds shared for its whole run. */
  static Path buildsLock(SandboxEngineSettings settings) {
    return settings.locksDir().resolve("builds.lock");
  }

  @Override
  public CachePruneReport prune(ReferencedLayers referenced) throws ZlayerException {
    if (!Files.isDirectory(settings.root())) {
      return CachePruneReport.NOTHING;
    }
    Optional<LockFiles.Held> exclusive;
    try {
      Files.createDirectories(settings.locksDir());
      exclusive = locks.tryExclusive(buildsLock(settings));
    } catch (IOException e) {
      throw failure("cannot lock", e);
    }
    if (exclusive.isEmpty()) {
      return new CachePruneReport(0, 0, 0, 0, true);
    }
    try (LockFiles.Held held = exclusive.get()) {
      Set<String> live = referenced.diffIds().stream().map(Digest::hex)
          .collect(Collectors.toSet());
      long[] bytes = {0};
      int steps = pruneSteps(live, bytes);
      ScratchFiles.delete(settings.seenStepsDir()); // hints only: builds make them again
      int layers = pruneLayers(live, bytes);
      int scratch = BuildScratch.sweep(settings, locks);
      return new CachePruneReport(layers, steps, scratch, bytes[0], false);
    } catch (IOException e) {
      throw failure("cannot prune", e);
    }
  }

  private int pruneSteps(Set<String> live, long[] bytes) throws IOException {
    int removed = 0;
    for (Path entry : children(settings.stepCacheDir())) {
      Optional<CachedStep> step;
      try {
        step = StepCache.parse(Files.readString(entry, StandardCharsets.UTF_8));
      } catch (IOException e) {
        step = Optional.empty(); // not text or not a file: not an entry
      }
      boolean keep = step.isPresent()
          && step.get().diffId().map(d -> live.contains(d.hex())).orElse(true);
      if (!keep) {
        bytes[0] += size(entry);
        ScratchFiles.delete(entry);
        removed++;
      }
    }
    return removed;
  }

  private int pruneLayers(Set<String> live, long[] bytes) throws IOException {
    int removed = 0;
    Path layerLocks = settings.locksDir().resolve("layers");
    for (Path layer : children(settings.layersDir())) {
      String name = layer.getFileName().toString();
      if (live.contains(name)) {
        continue;
      }
      bytes[0] += size(layer);
      ScratchFiles.delete(layer);
      // no build runs and none can start, so nobody waits on this lock file
      Files.deleteIfExists(layerLocks.resolve(name + ".lock"));
      removed++;
    }
    return removed;
  }

  private static List<Path> children(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(out::add);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  private static long size(Path path) throws IOException {
    try (Stream<Path> all = Files.walk(path)) {
      long total = 0;
      for (Path p : (Iterable<Path>) all::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile()) {
          total += a.size();
        }
      }
      return total;
    }
  }

  private BuildException failure(String what, IOException e) {
    return new BuildException(what + " the sandbox build cache in " + settings.root() + ": "
        + e.getMessage(), e);
  }
}
