package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.progress.ProgressMode;
import io.zlayer.adapters.cli.progress.ProgressRenderer;
import io.zlayer.adapters.cli.progress.QuietProgress;
import io.zlayer.adapters.cli.progress.RawJsonProgress;
import io.zlayer.adapters.cli.progress.Terminal;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** What every command needs: the use cases, the environment, global flags, cleanup. */
public final class CliContext {
  private final CliUseCases useCases;
  private final CliEnvironment environment;
  private volatile RunningCommand running;
  private volatile ProgressRenderer progress;
  private volatile boolean debug;
  private volatile boolean quiet;

  CliContext(CliUseCases useCases, CliEnvironment environment) {
    this.useCases = useCases;
    this.environment = environment;
  }

  /** Starts a command: global flags back to their defaults, a fresh cleanup stack. */
  void begin(RunningCommand command) {
    running = command;
    progress = null;
    debug = false;
    quiet = false;
  }

  public CliUseCases useCases() {
    return useCases;
  }

  public PrintWriter out() {
    return environment.out();
  }

  public PrintWriter err() {
    return environment.err();
  }

  public InputStream in() {
    return environment.in();
  }

  public Map<String, String> env() {
    return environment.env();
  }

  public Terminal terminal() {
    return environment.terminal();
  }

  public Clock clock() {
    return environment.clock();
  }

  public boolean debug() {
    return debug;
  }

  void debug(boolean value) {
    debug = value;
  }

  public boolean quiet() {
    return quiet;
  }

  void quiet(boolean value) {
    quiet = value;
  }

  /** The running command's cleanups: what must happen even when Ctrl-C stops the command. */
  public CleanupStack cleanups() {
    RunningCommand command = running;
    if (command == null) {
      throw new IllegalStateException("no command is running");
    }
    return command.cleanups();
  }

  /**
   * Opens the progress display on standard error ({@link ProgressMode#QUIET} under {@code
   * --quiet}); it is also registered for cleanup, so an interrupted command still leaves a
   * final frame and a visible cursor.
   */
  public ProgressRenderer openProgress(ProgressMode mode, String title) {
    if (quiet || mode == ProgressMode.QUIET) {
      return QuietProgress.INSTANCE;
    }
    ProgressRenderer renderer = ProgressRenderer.open(mode, title, err(), terminal(), env(),
        clock());
    cleanups().push("stop the progress display", renderer::close);
    progress = renderer;
    return renderer;
  }

  /** Whether a progress display showed the command's steps and their output. */
  boolean progressShown() {
    return progress != null;
  }

  /** The rawjson progress stream the command opened, where its errors must go too. */
  Optional<RawJsonProgress> jsonProgress() {
    return progress instanceof RawJsonProgress json ? Optional.of(json) : Optional.empty();
  }
}
