package io.zlayer.adapters.cli;

import io.zlayer.domain.error.ZlayerException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs one zlayer command line and returns its exit status: 0 on success, 1 for any user error
 * (one line on stderr, plus a hint when there is one; the stack trace only with
 * {@code --debug}), 130 when interrupted.
 */
public final class ZlayerCli {
  private final CliContext context;

  public ZlayerCli(CliUseCases useCases, PrintWriter out, PrintWriter err, Map<String, String> env) {
    this.context = new CliContext(useCases, out, err, env);
  }

  public int execute(String... args) {
    CommandLine cl = new CommandLine(new RootCommand(context));
    cl.setOut(context.out());
    cl.setErr(context.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex));
    cl.setParameterExceptionHandler((ex, args1) -> {
      context.err().println("error: " + ex.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, context.err());
      context.err().println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName()
          + " --help' for usage.");
      context.err().flush();
      return 1;
    });
    int code = cl.execute(args);
    context.out().flush();
    context.err().flush();
    return code;
  }

  private int report(Exception ex) {
    if (context.debug()) {
      ex.printStackTrace(context.err());
    }
    if (ex instanceof InterruptedException) {
      context.err().println("error: interrupted");
      context.err().flush();
      return 130;
    }
    if (ex instanceof ZlayerException z) {
      context.err().println("error: " + z.getMessage());
      z.hint().ifPresent(h -> context.err().println("hint: " + h));
    } else {
      context.err().println("error: internal error: " + ex
          + (context.debug() ? "" : " (run with --debug for details)"));
    }
    context.err().flush();
    return 1;
  }
}
