package io.zlayer.adapters.sandbox.run;

import java.nio.file.Path;
import java.util.List;

/** The root filesystem a step runs on, in one of the two shapes a {@link StepSandbox} takes. */
public sealed interface StepRoot {
  /** A directory the sandbox may use for its own files during the step; it cleans up after. */
  Path scratchDir();

  /**
   * An overlay of unpacked layer directories (overlayfs format with userxattr). The upper
   * directory becomes the step's change set; {@code workDir} is a scratch directory on the same
   * filesystem as the upper directory (overlay's work dir and the mount point live inside it).
   */
  record Overlay(List<Path> lowerDirsTopFirst, Path upperDir, Path workDir) implements StepRoot {
    public Overlay {
      lowerDirsTopFirst = List.copyOf(lowerDirsTopFirst);
    }

    @Override
    public Path scratchDir() {
      return workDir;
    }
  }

  /**
   * A materialized root filesystem the step changes in place (the caller diffs it afterwards);
   * {@code scratchDir} must lie outside it.
   */
  record FlatRootfs(Path rootfs, Path scratchDir) implements StepRoot {}
}
