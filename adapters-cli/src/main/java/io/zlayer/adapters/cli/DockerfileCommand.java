package io.zlayer.adapters.cli;

import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.zlayer.application.usecase.InspectDockerfile.CheckCommand;
import io.zlayer.application.usecase.InspectDockerfile.CheckReport;
import io.zlayer.application.usecase.InspectDockerfile.StageSummary;
import io.zlayer.domain.image.Platform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zlayer dockerfile ast|check}. */
@Command(name = "dockerfile", description = "Inspect a Dockerfile without building it.",
    subcommands = {DockerfileCommand.Ast.class, DockerfileCommand.Check.class},
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

  @Command(name = "check", description = {"Run the whole front end over a Dockerfile (parse,",
      "instructions and flags, variable expansion, image references, stage graph) and",
      "summarise it. Any problem is one line naming the file and line; exit status 1."},
      footer = {"", "Examples:", "  zlayer dockerfile check Dockerfile",
          "  zlayer dockerfile check --build-arg VERSION=1.2 --target test ./Dockerfile"})
  static final class Check implements Callable<Integer> {
    private final CliContext ctx;

    Check(CliContext ctx) {
      this.ctx = ctx;
    }

    @Parameters(paramLabel = "FILE", description = "The Dockerfile ('-' reads standard input).")
    Path file;

    @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]",
        description = "A build argument; without =VALUE it is taken from the environment.")
    List<String> buildArgs = List.of();

    @Option(names = "--target", paramLabel = "STAGE", description = "The stage to build.")
    String target;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
        description = "The target platform (default: this host's).")
    String platform;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() throws Exception {
      Map<String, String> args = parseBuildArgs(buildArgs, ctx.env());
      Optional<Platform> p = platform == null ? Optional.empty()
          : Optional.of(Platform.parse(platform));
      CheckReport report = ctx.useCases().inspectDockerfile().check(new CheckCommand(
          read(file, ctx.in()), displayName(file), args, Optional.ofNullable(target), p));
      for (String w : report.warnings()) {
        ctx.err().println("warning: " + w);
      }
      long used = report.stages().stream().filter(StageSummary::used).count();
      ctx.out().println(displayName(file) + ": OK, " + report.stages().size() + " stage"
          + (report.stages().size() == 1 ? "" : "s") + " (" + used + " used for target "
          + report.target() + "), " + report.instructions() + " instructions");
      for (StageSummary s : report.stages()) {
        ctx.out().println("  [" + s.index() + "] " + s.name() + "  FROM " + s.base() + ", "
            + s.instructions() + " instruction" + (s.instructions() == 1 ? "" : "s")
            + (s.dependsOn().isEmpty() ? "" : ", needs " + String.join(", ", s.dependsOn()))
            + (s.used() ? "" : "  (unused)"));
      }
      return 0;
    }
  }

  /** {@code --build-arg K=V} and {@code --build-arg K} (value from the environment). */
  static Map<String, String> parseBuildArgs(List<String> values, Map<String, String> env)
      throws UsageException {
    Map<String, String> args = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      String key = eq < 0 ? v : v.substring(0, eq);
      if (key.isEmpty()) {
        throw new UsageException("invalid --build-arg \"" + v + "\": the name is empty");
      }
      if (eq >= 0) {
        args.put(key, v.substring(eq + 1));
      } else if (env.containsKey(key)) {
        args.put(key, env.get(key));
      }
    }
    return args;
  }
}
