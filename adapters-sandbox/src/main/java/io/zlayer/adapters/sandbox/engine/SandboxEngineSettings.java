package io.zlayer.adapters.sandbox.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the sandbox engine keeps its working state, {@code $ZLAYER_HOME/sandbox} by default:
 *
 * <ul>
 *   <li>{@code layers/<hex>}: every layer unpacked in overlay format, named by its diff_id, shared
 *       by all builds and images;
 *   <li>{@code cache/steps/<hex>}: the step cache, one small file per cache key;
 *   <li>{@code cache/mounts/<hex>/<n>}: the directories of {@code RUN --mount=type=cache};
 *   <li>{@code locks/}: lock files (layers being unpacked, cache mounts in use);
 *   <li>{@code tmp/<build>/}: one scratch directory per running build (upper directories, overlay
 *       work directories, unpacks in progress), deleted when the build ends.
 * </ul>
 *
 * <p>The root must lie on a file system that supports overlayfs upper directories and user
 * extended attributes (ext4, xfs, btrfs), and layers and scratch live on the same file system so
 * that a finished upper directory becomes a layer by a rename.
 *
 * @param root the engine's directory
 */
public record SandboxEngineSettings(Path root) {
  public SandboxEngineSettings {
    Objects.requireNonNull(root, "root");
    root = root.toAbsolutePath().normalize();
  }

  /** {@code $ZLAYER_HOME/sandbox}, else {@code <userHome>/.zlayer/sandbox}. */
  public static SandboxEngineSettings fromEnvironment(Map<String, String> env, String userHome) {
    String home = env.get("ZLAYER_HOME");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(userHome, ".zlayer");
    return new SandboxEngineSettings(base.resolve("sandbox"));
  }

  Path layersDir() {
    return root.resolve("layers");
  }

  Path stepCacheDir() {
    return root.resolve("cache").resolve("steps");
  }

  /** Hints of the COPY steps recorded before ({@link StepCache#seenBefore}). */
  Path seenStepsDir() {
    return root.resolve("cache").resolve("seen");
  }

  Path cacheMountsDir() {
    return root.resolve("cache").resolve("mounts");
  }

  Path locksDir() {
    return root.resolve("locks");
  }

  Path scratchDir() {
    return root.resolve("tmp");
  }
}
