package io.zlayer.adapters.buildah;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs an external program (buildah) to completion. Output arrives line by line as it is
 * printed; the result keeps stdout when asked and the last lines of stderr for error messages.
 * When the calling thread is interrupted, the implementation kills the process and everything it
 * started, waits for them to end, and throws {@link InterruptedException}.
 */
public interface ProcessRunner {

  Result run(Invocation invocation, OutputSink sink) throws IOException, InterruptedException;

  /** Receives output lines as they are printed, from reader threads. */
  @FunctionalInterface
  interface OutputSink {
    OutputSink NONE = (line, stderr) -> {};

    void line(String line, boolean stderr);
  }

  /**
   * One program run.
   *
   * @param argv the program and its arguments
   * @param environment variables set on top of the inherited environment
   * @param workingDir the directory it runs in, else the JVM's
   * @param captureStdout keep all of stdout in the result (for IDs and JSON); otherwise only
   *     the sink sees it
   */
  record Invocation(List<String> argv, Map<String, String> environment,
      Optional<Path> workingDir, boolean captureStdout) {
    public Invocation {
      argv = List.copyOf(argv);
      environment = Map.copyOf(environment);
      Objects.requireNonNull(workingDir, "workingDir");
    }
  }

  /**
   * How it ended.
   *
   * @param exitCode the exit status
   * @param stdout all of stdout when captured, else empty
   * @param stderrTail the last lines of stderr (at most {@link #TAIL_LINES})
   */
  record Result(int exitCode, String stdout, List<String> stderrTail) {
    public static final int TAIL_LINES = 20;

    public Result {
      Objects.requireNonNull(stdout, "stdout");
      stderrTail = List.copyOf(stderrTail);
    }
  }
}
