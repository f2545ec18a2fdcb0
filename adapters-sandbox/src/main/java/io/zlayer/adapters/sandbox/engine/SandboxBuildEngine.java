package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.copy.FileCopier;
import io.zlayer.adapters.sandbox.run.SandboxHost;
import io.zlayer.adapters.sandbox.run.StepSandbox;
import io.zlayer.application.port.BuildEngine;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.EngineAvailability;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * zlayer's own Dockerfile build engine ({@code --backend sandbox}): RUN steps in a bubblewrap
 * sandbox on an overlay of unpacked layer directories, COPY/ADD and WORKDIR written straight into
 * layer directories, one layer per step that changed files, a persistent step cache, stages built
 * in parallel where the plan allows. The Dockerfile's meaning comes from {@code
 * io.zlayer.domain.build}; this engine performs the steps.
 *
 * <p>State lives under {@link SandboxEngineSettings#root()} (see there); images go into the
 * {@link ImageStore}. Several builds may run at once, in this process or in others: layers,
 * cache entries and cache mounts are coordinated by lock files, and nothing becomes visible
 * before it is complete, so an interrupted or killed build leaves no half-written state.
 */
public final class SandboxBuildEngine implements BuildEngine {
  public static final String NAME = "sandbox";

  private final SandboxEngineSettings settings;
  private final ImageStore store;
  private final FileCopier copier;
  private final LayerDirectories layers;
  private final StepCache stepCache;
  private final CacheMounts cacheMounts;
  private final ForeignPlatforms foreignPlatforms;
  private final Function<SandboxHost, StepSandbox> sandboxes;
  private final HostDetection detection;
  private volatile SandboxHost host;

  /** How the sandbox's programs and kernel features are found (tests stand in a failure). */
  @FunctionalInterface
  interface HostDetection {
    SandboxHost detect(Path probeDir) throws BuildException;
  }

  public SandboxBuildEngine(SandboxEngineSettings settings, ImageStore store, FileCopier copier) {
    this(settings, store, copier, ForeignPlatforms.BINFMT_MISC, SandboxHost::stepSandbox);
  }

  /**
   * For tests: {@code binfmtDir} stands for /proc/sys/fs/binfmt_misc, {@code sandboxes} picks
   * the step sandbox for the detected host (the flat-rootfs fallback on a host with overlayfs).
   */
  SandboxBuildEngine(SandboxEngineSettings settings, ImageStore store, FileCopier copier,
      Path binfmtDir, Function<SandboxHost, StepSandbox> sandboxes) {
    this(settings, store, copier, binfmtDir, sandboxes, SandboxHost::detect);
  }

  SandboxBuildEngine(SandboxEngineSettings settings, ImageStore store, FileCopier copier,
      Path binfmtDir, Function<SandboxHost, StepSandbox> sandboxes, HostDetection detection) {
    this.detection = Objects.requireNonNull(detection, "detection");
    this.sandboxes = Objects.requireNonNull(sandboxes, "sandboxes");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = Objects.requireNonNull(store, "store");
    this.copier = Objects.requireNonNull(copier, "copier");
    this.layers = new LayerDirectories(settings, LockFiles.JVM);
    this.stepCache = new StepCache(settings.stepCacheDir(), settings.seenStepsDir());
    this.cacheMounts = new CacheMounts(settings.cacheMountsDir(), LockFiles.JVM);
    this.foreignPlatforms = new ForeignPlatforms(binfmtDir);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public EngineAvailability availability() {
    try {
      SandboxHost h = sandboxHost();
      return EngineAvailability.usable("bubblewrap sandbox ("
          + h.mode().name().toLowerCase(java.util.Locale.ROOT) + ", "
          + (h.overlaySupported() ? "overlayfs" : "no overlayfs: flat root copies") + ")");
    } catch (BuildException e) {
      // Everything but RUN works without a sandbox; a RUN step reports this with its line.
      return EngineAvailability.usable("without RUN steps: " + e.getMessage());
    }
  }

  /**
   * Always: everything but RUN works without the sandbox, and a RUN probes for it (at its
   * first use, reporting a problem with its line), so a build without one starts no probe.
   */
  @Override
  public boolean knownUsable() {
    return true;
  }

  @Override
  public BuiltImage build(BuildJob job) throws ZlayerException, InterruptedException {
    LockFiles.Held running;
    BuildScratch scratch;
    try {
      // held for the whole build: prune (SandboxBuildCache) leaves the cache alone meanwhile
      Files.createDirectories(settings.locksDir());
      running = LockFiles.JVM.shared(SandboxBuildCache.buildsLock(settings));
    } catch (IOException e) {
      throw cannotPrepare(e);
    }
    try (running) {
      try {
        scratch = BuildScratch.create(settings, LockFiles.JVM);
      } catch (IOException e) {
        throw cannotPrepare(e);
      }
      try (scratch) {
        return new BuildRun(this, job, scratch).run();
      }
    }
  }

  private BuildException cannotPrepare(IOException e) {
    return new BuildException("cannot prepare the sandbox directory " + settings.root() + ": "
        + e.getMessage(), -1, List.of(), "set ZLAYER_HOME to a writable directory", e);
  }

  /** Detected on first use (the first RUN or availability check) and kept. */
  SandboxHost sandboxHost() throws BuildException {
    SandboxHost h = host;
    if (h == null) {
      synchronized (this) {
        h = host;
        if (h == null) {
          h = detection.detect(settings.root().resolve("probe"));
          host = h;
        }
      }
    }
    return h;
  }

  StepSandbox stepSandbox() throws BuildException {
    return sandboxes.apply(sandboxHost());
  }

  ImageStore store() {
    return store;
  }

  FileCopier copier() {
    return copier;
  }

  LayerDirectories layerDirectories() {
    return layers;
  }

  StepCache stepCache() {
    return stepCache;
  }

  CacheMounts cacheMounts() {
    return cacheMounts;
  }

  ForeignPlatforms foreignPlatforms() {
    return foreignPlatforms;
  }
}
