package io.zlayer.adapters.sandbox.run;

import io.zlayer.domain.error.BuildException;
import java.util.function.Consumer;

/**
 * Runs one RUN step in isolation: the step sees only the image filesystem and its requested
 * mounts, a clean environment, fresh PID/IPC/UTS (and, for {@link NetworkMode#NONE}, network)
 * namespaces. Obtain one from {@link SandboxHost#stepSandbox()}.
 */
public interface StepSandbox {
  /**
   * Whether steps can run on an overlay of layer directories ({@link StepRoot.Overlay}); when
   * not, the caller materializes a flat rootfs and diffs it afterwards ({@link
   * StepRoot.FlatRootfs}).
   */
  boolean overlaySupported();

  /**
   * Runs the step to its end, streaming its output lines as they come (from two threads, never
   * at once). Returns the exit status; a non-zero status is not an exception.
   *
   * @throws BuildException when the sandbox could not start the command
   * @throws InterruptedException when the calling thread was interrupted; the step's process tree
   *     is killed first
   */
  RunResult run(StepRoot root, RunSpec spec, Consumer<OutputLine> output,
      CancellationSignal cancel) throws BuildException, InterruptedException;
}
