package io.zlayer.adapters.sandbox.run;

import java.time.Duration;
import java.util.List;

/**
 * How a RUN step ended.
 *
 * @param exitCode the command's exit status (128 + signal when a signal ended it; 137 when the
 *     step was cancelled)
 * @param cancelled the step was stopped through its {@link CancellationSignal}
 * @param elapsed wall time from start to the end of the process tree
 * @param lastOutput the last lines the step printed (both streams, in arrival order), for error
 *     reports
 */
public record RunResult(int exitCode, boolean cancelled, Duration elapsed,
    List<String> lastOutput) {
  public RunResult {
    lastOutput = List.copyOf(lastOutput);
  }

  public boolean succeeded() {
    return exitCode == 0 && !cancelled;
  }
}
