package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.progress.RawJsonProgress;
import io.zlayer.adapters.cli.progress.SystemTerminal;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ZlayerException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs one zlayer command line and returns its exit status: {@value #EXIT_OK} on success,
 * {@value #EXIT_ERROR} for any user error (one line on stderr, plus a hint when there is one;
 * the stack trace only with {@code --debug}), {@value #EXIT_INTERRUPTED} when interrupted.
 *
 * <p>Interruption: {@link #shutdownHook()} returns a hook for {@code Runtime.addShutdownHook}.
 * On Ctrl-C (SIGINT) or SIGTERM it {@linkplain #interrupt interrupts} the command's thread, so a
 * use case blocked in I/O or waiting on a process stops; the command unwinds, closing what it
 * opened, and the cleanups it registered ({@link CliContext#cleanups()}) run. The hook waits up
 * to {@link #CLEANUP_GRACE} for that, then runs the remaining cleanups itself and lets the JVM
 * exit (with status 130 for SIGINT, as the JVM sets it).
 */
public final class ZlayerCli {
  public static final int EXIT_OK = 0;
  public static final int EXIT_ERROR = 1;
  public static final int EXIT_INTERRUPTED = 130;

  /** How long an interrupted command may take to clean up before the process exits anyway. */
  public static final Duration CLEANUP_GRACE = Duration.ofSeconds(10);

  private static final Pattern CREDENTIAL_FLAG = Pattern.compile("--cred[a-z]*");

  private final CliContext context;
  private final AtomicReference<RunningCommand> running = new AtomicReference<>();

  /** A CLI on the process's standard input and terminal, with these output streams. */
  public ZlayerCli(CliUseCases useCases, PrintWriter out, PrintWriter err,
      Map<String, String> env) {
    this(useCases, new CliEnvironment(System.in, out, err, env, new SystemTerminal(env),
        Clock.systemUTC()));
  }

  public ZlayerCli(CliUseCases useCases, CliEnvironment environment) {
    this.context = new CliContext(useCases, environment);
  }

  /**
   * Runs a command line on the calling thread. One command at a time: a second call while one
   * is running fails with {@link IllegalStateException}.
   */
  public int execute(String... args) {
    return execute(true, args);
  }

  /** Runs a command line as {@link #execute} does, but on the tree with every command. */
  int executeOnFullTree(String... args) {
    return execute(false, args);
  }

  private int execute(boolean prune, String[] args) {
    RunningCommand command = new RunningCommand(Thread.currentThread());
    if (!running.compareAndSet(null, command)) {
      throw new IllegalStateException("a zlayer command is already running");
    }
    context.begin(command);
    int code = EXIT_ERROR;
    try {
      code = (prune ? commandLine(args) : fullCommandLine(args)).execute(args);
      if (command.interrupted() && code != EXIT_INTERRUPTED) {
        printError("interrupted", Optional.empty());
        code = EXIT_INTERRUPTED;
      }
    } finally {
      for (String failure : command.cleanups().runAll()) {
        context.err().println("warning: cleanup failed: " + failure);
      }
      Thread.interrupted();
      context.out().flush();
      context.err().flush();
      running.set(null);
      command.finished();
    }
    return code;
  }

  /**
   * Stops the running command: interrupts its thread and waits up to {@code grace} for it to
   * finish and clean up; after that, runs its remaining cleanups on this thread. Returns true
   * when the command finished in time (or none was running).
   */
  public boolean interrupt(Duration grace) {
    RunningCommand command = running.get();
    if (command == null) {
      return true;
    }
    command.interrupt();
    if (command.awaitFinished(grace)) {
      return true;
    }
    List<String> failures = command.cleanups().runAll();
    printError("interrupted; the command did not stop within " + grace.toSeconds()
        + "s, cleaned up and gave up waiting", Optional.empty());
    PrintWriter err = context.err();
    failures.forEach(f -> err.println("warning: cleanup failed: " + f));
    err.flush();
    return false;
  }

  /** A thread for {@code Runtime.getRuntime().addShutdownHook}: Ctrl-C stops the command. */
  public Thread shutdownHook() {
    return new Thread(() -> interrupt(CLEANUP_GRACE), "zlayer-shutdown");
  }

  CommandLine commandLine(String... args) {
    return configure(CommandTree.forArgs(context, args), args);
  }

  private CommandLine fullCommandLine(String... args) {
    return configure(CommandTree.full(context), args);
  }

  private CommandLine configure(CommandLine cl, String[] args) {
    cl.setOut(context.out());
    cl.setErr(context.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex));
    cl.setParameterExceptionHandler((ex, ignored) -> reportUsage(ex, args));
    return cl;
  }

  private int report(Exception ex) {
    RunningCommand command = running.get();
    PrintWriter err = context.err();
    if (context.debug()) {
      ex.printStackTrace(err);
    }
    if (ex instanceof InterruptedException || command != null && command.interrupted()) {
      printError("interrupted", Optional.empty());
      return EXIT_INTERRUPTED;
    }
    if (ex instanceof BuildException b && !context.progressShown()) {
      // without a progress view the failing command's output was never shown
      b.lastOutput().forEach(line -> err.println("  " + line));
    }
    if (ex instanceof ZlayerException z) {
      printError(z.getMessage(), z.hint());
    } else {
      printError("internal error: " + ex
          + (context.debug() ? "" : " (run with --debug for details)"), Optional.empty());
    }
    return EXIT_ERROR;
  }

  /** {@code error: …} and {@code hint: …} lines, or a JSON event inside a rawjson stream. */
  private void printError(String message, Optional<String> hint) {
    Optional<RawJsonProgress> json = context.jsonProgress();
    if (json.isPresent()) {
      json.get().error(message, hint);
      return;
    }
    PrintWriter err = context.err();
    err.println("error: " + message);
    hint.ifPresent(h -> err.println("hint: " + h));
    err.flush();
  }

  /** A command-line mistake: one line, suggestions, where to get help; secrets never echoed. */
  private int reportUsage(ParameterException ex, String[] args) {
    PrintWriter err = context.err();
    List<String> secrets = secretValues(args);
    String message;
    List<String> suggestions = List.of();
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      CommandSpec spec = ex.getCommandLine().getCommandSpec();
      if (u.isUnknownOption()) {
        int eq = first.indexOf('=');
        String flag = eq > 0 ? first.substring(0, eq) : first;
        message = "unknown flag: " + flag;
        List<String> names = new ArrayList<>();
        spec.options().forEach(o -> names.addAll(List.of(o.names())));
        suggestions = similar(flag, names);
      } else if (!ex.getCommandLine().getSubcommands().isEmpty()) {
        message = "unknown command \"" + first + "\" for \"" + spec.qualifiedName() + "\"";
        suggestions = similar(first, new ArrayList<>(ex.getCommandLine().getSubcommands()
            .keySet()));
      } else {
        message = "unexpected argument \"" + first + "\"";
      }
    } else {
      message = ex.getMessage();
    }
    err.println("error: " + redact(message, secrets));
    if (suggestions.size() == 1) {
      err.println("Did you mean: " + redact(suggestions.get(0), secrets) + "?");
    } else if (suggestions.size() > 1) {
      err.println("Did you mean one of: " + redact(String.join(", ", suggestions), secrets)
          + "?");
    }
    err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName()
        + " --help' for usage.");
    err.flush();
    return EXIT_ERROR;
  }

  /**
   * Names close to what was typed, as cobra suggests them for docker: at most two edits away,
   * or starting with it; nearest first.
   */
  static List<String> similar(String typed, List<String> names) {
    String t = typed.toLowerCase(Locale.ROOT);
    List<String> found = new ArrayList<>();
    for (String name : new TreeSet<>(names)) {
      String n = name.toLowerCase(Locale.ROOT);
      boolean prefix = t.replace("-", "").length() > 0 && n.startsWith(t) && !n.equals(t);
      if (prefix || editDistance(t, n) <= 2 && !n.equals(t)) {
        found.add(name);
      }
    }
    found.sort(Comparator.comparingInt((String n) -> editDistance(t, n.toLowerCase(Locale.ROOT))));
    return found;
  }

  /** Levenshtein distance. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1),
            previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Values given to {@code --creds} (in either spelling) on this command line. */
  static List<String> secretValues(String[] args) {
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      String flag = eq > 0 ? a.substring(0, eq) : a;
      if (!CREDENTIAL_FLAG.matcher(flag).matches()) {
        continue;
      }
      if (eq > 0) {
        secrets.add(a.substring(eq + 1));
      } else if (i + 1 < args.length) {
        secrets.add(args[i + 1]);
      }
    }
    secrets.removeIf(String::isEmpty);
    return secrets;
  }

  /** {@code text} with every whole-word occurrence of a secret replaced by {@code ****}. */
  static String redact(String text, List<String> secrets) {
    String result = text;
    for (String secret : secrets) {
      Pattern p = Pattern.compile("(?<![\\w:@.-])" + Pattern.quote(secret) + "(?![\\w:@.-])");
      result = p.matcher(result).replaceAll(Matcher.quoteReplacement("****"));
      // a password alone ("user:pass" split by a parser) must not leak either
      int colon = secret.indexOf(':');
      if (colon >= 0 && colon + 1 < secret.length()) {
        String password = secret.substring(colon + 1);
        Pattern pp = Pattern.compile("(?<![\\w@.-])" + Pattern.quote(password) + "(?![\\w:@.-])");
        result = pp.matcher(result).replaceAll(Matcher.quoteReplacement("****"));
      }
    }
    return result;
  }
}
