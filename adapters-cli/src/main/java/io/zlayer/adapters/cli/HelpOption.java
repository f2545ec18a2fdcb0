package io.zlayer.adapters.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} for subcommands. */
final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
