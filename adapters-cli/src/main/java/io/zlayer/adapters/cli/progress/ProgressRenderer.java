package io.zlayer.adapters.cli.progress;

import io.zlayer.application.event.BuildEventSink;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;

/**
 * Shows build, pull and push progress from {@link io.zlayer.application.event.BuildEvent}s on
 * standard error. Thread-safe: events arrive from several threads at once. {@link #close()}
 * leaves the final state on screen and is idempotent, so a command may both close it itself and
 * register it for cleanup on Ctrl-C.
 */
public interface ProgressRenderer extends BuildEventSink, AutoCloseable {
  /** Shows the result of a finished build (after the last event, before {@link #close()}). */
  void summary(BuildSummary summary);

  @Override
  void close();

  /**
   * Opens the renderer for a mode; {@link ProgressMode#AUTO} is resolved against the terminal
   * and environment first. A {@link ProgressMode#TTY} renderer starts its redraw thread.
   *
   * @param title what is in progress, for the live view's header ("Building", "Pulling alpine")
   */
  static ProgressRenderer open(ProgressMode mode, String title, PrintWriter err,
      Terminal terminal, Map<String, String> env, Clock clock) {
    switch (mode.resolve(terminal, env)) {
      case TTY:
        boolean colour = terminal.stderrIsTerminal() && !noColour(env);
        return TtyProgress.start(title, err, terminal, clock, colour);
      case PLAIN:
        return new PlainProgress(err, clock);
      case RAWJSON:
        return new RawJsonProgress(err, clock);
      default:
        return QuietProgress.INSTANCE;
    }
  }

  /** The no-color.org convention: {@code NO_COLOR} set to anything but the empty string. */
  static boolean noColour(Map<String, String> env) {
    String value = env.get("NO_COLOR");
    return value != null && !value.isEmpty();
  }
}
