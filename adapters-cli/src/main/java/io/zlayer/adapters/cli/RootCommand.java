package io.zlayer.adapters.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code zlayer}: the top-level command and its global options. Its subcommands are added by
 * {@link CommandTree}, which adds only the one a command line names when it can.
 */
@Command(name = "zlayer",
    description = "Build, store and push OCI container images without a daemon.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    footer = {"", "Examples:",
        "  zlayer pull alpine",
        "  zlayer images",
        "  zlayer push app:dev registry.example.com/team/app:1.0",
        "", "Run 'zlayer COMMAND --help' for more information on a command."})
final class RootCommand implements Runnable {
  private final CliContext context;

  @Spec
  CommandSpec spec;

  RootCommand(CliContext context) {
    this.context = context;
  }

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Show stack traces and HTTP traces (credentials redacted).")
  void debug(boolean value) {
    context.debug(value);
  }

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
      description = "Print only results (IDs, digests), no progress.")
  void quiet(boolean value) {
    context.quiet(value);
  }

  CliContext context() {
    return context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }
}
