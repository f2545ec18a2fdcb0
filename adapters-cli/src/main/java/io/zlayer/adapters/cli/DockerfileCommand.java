package io.zlayer.adapters.cli;

import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code zlayer dockerfile ast|check}. */
@Command(name = "dockerfile", description = "Inspect a Dockerfile without building it.",
    subcommands = {DockerfileCommand.Ast.class})
final class DockerfileCommand {
  @ParentCommand
  RootCommand root;

  static byte[] read(Path file) throws ZlayerException {
    try {
      if (file.toString().equals("-")) {
        return System.in.readAllBytes();
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
    @ParentCommand
    DockerfileCommand parent;

    @Parameters(paramLabel = "FILE", description = "The Dockerfile ('-' reads standard input).")
    Path file;

    @Override
    public Integer call() throws Exception {
      CliContext ctx = parent.root.context();
      String dump = ctx.useCases().inspectDockerfile().astDump(read(file), displayName(file));
      ctx.out().println(dump);
      return 0;
    }
  }
}
