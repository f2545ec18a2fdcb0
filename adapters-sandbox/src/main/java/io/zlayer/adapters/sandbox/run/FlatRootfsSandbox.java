package io.zlayer.adapters.sandbox.run;

import io.zlayer.domain.error.BuildException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The fallback for machines where overlay mounts fail (detected once by {@link SandboxHost}): the
 * caller materializes the image into a flat rootfs directory, the step changes it in place, and
 * the caller computes the diff afterwards. Isolation, users, mounts and mount-point cleanup are
 * the same as in {@link RunSandbox}.
 */
public final class FlatRootfsSandbox implements StepSandbox {
  private final SandboxRunner runner;

  public FlatRootfsSandbox(SandboxHost host) {
    this.runner = new SandboxRunner(host);
  }

  @Override
  public boolean overlaySupported() {
    return false;
  }

  /** Runs {@code spec} with {@code rootfs} as {@code /}; {@code scratchDir} lies outside it. */
  public RunResult run(Path rootfs, Path scratchDir, RunSpec spec, Consumer<OutputLine> output,
      CancellationSignal cancel) throws BuildException, InterruptedException {
    return run(new StepRoot.FlatRootfs(rootfs, scratchDir), spec, output, cancel);
  }

  /** Only {@link StepRoot.FlatRootfs} roots: overlays are not available here. */
  @Override
  public RunResult run(StepRoot root, RunSpec spec, Consumer<OutputLine> output,
      CancellationSignal cancel) throws BuildException, InterruptedException {
    if (!(root instanceof StepRoot.FlatRootfs)) {
      throw new BuildException("overlay mounts are not available on this machine; "
          + "run the step on a flat rootfs");
    }
    return runner.run(root, spec, Objects.requireNonNull(output), Objects.requireNonNull(cancel));
  }
}
