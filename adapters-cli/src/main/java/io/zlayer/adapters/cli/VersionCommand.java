package io.zlayer.adapters.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/** {@code zlayer version}. */
@Command(name = "version", description = "Show the zlayer version and the Java runtime.",
    footer = {"", "Example:", "  zlayer version"})
final class VersionCommand implements Runnable {
  static final String VERSION = "0.1.0-SNAPSHOT";

  private final CliContext ctx;

  @Mixin
  HelpOption help;

  VersionCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      ctx.out().println(line);
    }
  }

  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"zlayer " + VERSION,
          "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
              + "), " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")};
    }
  }
}
