package io.zlayer.adapters.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zlayer zimagefile convert}: the Dockerfile a ZImagefile builds as. */
@Command(name = "zimagefile", description = "Work with ZImagefiles (YAML build files).",
    subcommands = {ZImagefileCommand.Convert.class},
    footer = {"", "Example:", "  zlayer zimagefile convert ZImagefile"})
final class ZImagefileCommand implements Runnable {
  private final CliContext ctx;

  @Spec
  CommandSpec spec;

  @Mixin
  HelpOption help;

  ZImagefileCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void run() {
    spec.commandLine().usage(ctx.out());
  }

  @Command(name = "convert", description = {"Check a ZImagefile and print the Dockerfile it",
      "builds as (the one build errors refer to as ZImagefile.Dockerfile)."},
      footer = {"", "Examples:", "  zlayer zimagefile convert ZImagefile",
          "  zlayer zimagefile convert app/ZImagefile > app/Dockerfile"})
  static final class Convert implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "FILE", description = "The ZImagefile.")
    Path file;

    @Mixin
    HelpOption help;

    Convert(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
      BuildFileReader.BuildFile b = BuildFileReader.zimagefile(ctx, file, file.toString(),
          List.of());
      ctx.out().print(b.text());
      return 0;
    }
  }
}
