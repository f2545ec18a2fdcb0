package io.zlayer.adapters.cli;

import java.io.PrintWriter;
import java.util.Map;

/** What every command needs: the use cases, the output streams, the environment, global flags. */
public final class CliContext {
  private final CliUseCases useCases;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private volatile boolean debug;
  private volatile boolean quiet;

  CliContext(CliUseCases useCases, PrintWriter out, PrintWriter err, Map<String, String> env) {
    this.useCases = useCases;
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
  }

  public CliUseCases useCases() {
    return useCases;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public Map<String, String> env() {
    return env;
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
}
