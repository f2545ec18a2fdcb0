package io.zlayer.adapters.sandbox.run;

import io.zlayer.domain.error.BuildException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs a RUN step on an overlay of layer directories: the overlay is mounted inside a private
 * mount namespace ({@code unshare}), bubblewrap builds the step's root from it, and afterwards
 * the upper directory holds exactly the step's changes (whiteouts and opaque directories in the
 * userxattr format). Mount points the image lacked ({@code /proc}, {@code /dev}, {@code /sys},
 * {@code /etc/hosts}, mount targets and their parents) are created by bubblewrap in the upper
 * directory and removed again when they are still empty, as BuildKit does; the parent's
 * timestamps are restored around each removal.
 *
 * <p>No mount outlives the step: they all live in the step's mount namespace, which the kernel
 * tears down when the last process in it exits (also when zlayer itself is killed).
 *
 * <p>Where the step differs from a BuildKit RUN (all forced by bubblewrap or the host):
 *
 * <ul>
 *   <li>bubblewrap always sets {@code no_new_privs}: setuid programs ({@code sudo}, {@code su})
 *       cannot raise privileges;
 *   <li>{@code PWD} is always exported, set to the working directory;
 *   <li>a root step holds exactly Docker's default capabilities, but its bounding set is not
 *       narrowed (bubblewrap narrows it only inside a user namespace; with {@code no_new_privs}
 *       nothing can be gained from it);
 *   <li>{@code /sys} is the host's sysfs, read-only, with Docker's masked paths hidden;
 *   <li>a non-root exec-form command that does not exist ends with status 127 (from the
 *       user-switching helper) instead of a start error;
 *   <li>rootless ({@link SandboxHost.PrivilegeMode#ROOTLESS}): only the invoking user is mapped,
 *       so other owners show as 65534, files a non-root step creates belong to the invoking user,
 *       and supplementary groups are not set.
 * </ul>
 */
public final class RunSandbox implements StepSandbox {
  private final SandboxRunner runner;

  public RunSandbox(SandboxHost host) {
    if (!host.overlaySupported()) {
      throw new IllegalArgumentException("overlay mounts do not work here; use "
          + "FlatRootfsSandbox (SandboxHost.stepSandbox() picks the right one)");
    }
    this.runner = new SandboxRunner(host);
  }

  @Override
  public boolean overlaySupported() {
    return true;
  }

  /**
   * Runs {@code spec} on the overlay of {@code lowerDirsTopFirst} with {@code upperDir} as the
   * change set. {@code workDir} is a scratch directory on the upper directory's filesystem (the
   * overlay's work directory and mount point go inside it and are removed afterwards).
   */
  public RunResult run(List<Path> lowerDirsTopFirst, Path upperDir, Path workDir, RunSpec spec,
      Consumer<OutputLine> output, CancellationSignal cancel)
      throws BuildException, InterruptedException {
    return runner.run(new StepRoot.Overlay(lowerDirsTopFirst, upperDir, workDir), spec,
        Objects.requireNonNull(output), Objects.requireNonNull(cancel));
  }

  /** Accepts both root shapes; a flat rootfs is changed in place. */
  @Override
  public RunResult run(StepRoot root, RunSpec spec, Consumer<OutputLine> output,
      CancellationSignal cancel) throws BuildException, InterruptedException {
    return runner.run(root, spec, Objects.requireNonNull(output), Objects.requireNonNull(cancel));
  }
}
