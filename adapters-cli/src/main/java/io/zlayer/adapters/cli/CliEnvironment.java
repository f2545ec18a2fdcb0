package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.progress.SystemTerminal;
import io.zlayer.adapters.cli.progress.Terminal;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * What the CLI runs in: its streams, environment variables, terminal and clock. {@link
 * #system()} is the real process; tests build their own.
 *
 * @param in standard input (confirmations, {@code -} as a file)
 * @param out standard output: results only (IDs, digests, JSON)
 * @param err standard error: progress, messages, errors
 */
public record CliEnvironment(InputStream in, PrintWriter out, PrintWriter err,
    Map<String, String> env, Terminal terminal, Clock clock) {

  public CliEnvironment {
    env = Map.copyOf(env);
  }

  /** The process's own streams, environment, terminal and the system clock. */
  public static CliEnvironment system() {
    Map<String, String> env = System.getenv();
    return new CliEnvironment(System.in,
        new PrintWriter(System.out, false, StandardCharsets.UTF_8),
        new PrintWriter(System.err, false, StandardCharsets.UTF_8),
        env, new SystemTerminal(env), Clock.systemUTC());
  }
}
