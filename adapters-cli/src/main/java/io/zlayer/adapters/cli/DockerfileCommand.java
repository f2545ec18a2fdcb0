package io.zlayer.adapters.cli;

import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zlayer dockerfile ast|check}. */
@Command(name = "dockerfile", description = "Inspect a Dockerfile without building it.",
    subcommands = {DockerfileCommand.Ast.class},
    footer = {"", "Example:", "  zlayer dockerfile ast Dockerfile"})
final class DockerfileCommand implements Runnable {
  private final CliContext ctx;

  @Spec
  CommandSpec spec;

  @Mixin
  HelpOption help;

  DockerfileCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void run() {
    spec.commandLine().usage(ctx.out());
  }

  static byte[] read(Path file, InputStream in) throws ZlayerException {
    try {
      if (file.toString().equals("-")) {
        return in.readAllBytes();
      }
      if (Files.isDirectory(file)) {
        throw new UsageException(file + " is a directory, not a Dockerfile",
            "name the file, e.g. " + file.resolve("Dockerfile"));
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UsageException("Dockerfile not found: " + file);
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  static String displayName(Path file) {
    return file.toString().equals("-") ? "Dockerfile" : file.getFileName().toString();
  }

  @Command(name = "ast", description = {"Print the raw syntax tree of a Dockerfile, one line per",
      "instruction, in BuildKit's AST dump format."},
      footer = {"", "Example:", "  zlayer dockerfile ast examples/hello/Dockerfile"})
  static final class Ast implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    HelpOption help;

    Ast(CliContext ctx) {
      this.ctx = ctx;
    }

    @Parameters(paramLabel = "FILE", description = "The Dockerfile ('-' reads standard input).")
    Path file;

    @Override
    public Integer call() throws Exception {
      String dump = ctx.useCases().inspectDockerfile()
          .astDump(read(file, ctx.in()), displayName(file));
      ctx.out().println(dump);
      return 0;
    }
  }
}
