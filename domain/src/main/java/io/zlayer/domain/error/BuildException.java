package io.zlayer.domain.error;

import java.util.List;
import java.util.Optional;

/**
 * A build step failed: a RUN that exited non-zero, a COPY source that is missing, a sandbox that
 * could not start. Carries where (stage and Dockerfile line) and, for RUN, the exit code and the
 * last lines the command printed.
 */
public final class BuildException extends ZlayerException {
  private final int exitCode;
  private final List<String> lastOutput;
  private final String hint;

  public BuildException(String message) {
    this(message, -1, List.of(), null, null);
  }

  public BuildException(String message, Throwable cause) {
    this(message, -1, List.of(), null, cause);
  }

  public BuildException(String message, int exitCode, List<String> lastOutput, String hint,
      Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.lastOutput = List.copyOf(lastOutput);
    this.hint = hint;
  }

  /** The failing command's exit status, or -1 when the failure was not a process exit. */
  public int exitCode() {
    return exitCode;
  }

  /** The last lines the failing command printed (at most a handful), for the error report. */
  public List<String> lastOutput() {
    return lastOutput;
  }

  @Override
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }
}
