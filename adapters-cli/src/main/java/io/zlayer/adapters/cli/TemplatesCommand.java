package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.format.TextTable;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.template.RuntimeTemplate;
import io.zlayer.domain.template.RuntimeTemplates;
import io.zlayer.domain.template.TemplateDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zlayer templates list|show|detect}: the runtime templates. */
@Command(name = "templates", description = {"Runtime templates: ready-made Dockerfiles for common",
    "kinds of projects, used by 'zlayer build --runtime NAME' and 'runtime:' in a ZImagefile."},
    subcommands = {TemplatesCommand.ListTemplates.class, TemplatesCommand.Show.class,
        TemplatesCommand.Detect.class},
    footer = {"", "Examples:", "  zlayer templates list", "  zlayer templates show node22",
        "  zlayer templates detect ./my-app", "  zlayer build --runtime auto -t app ./my-app"})
final class TemplatesCommand implements Runnable {
  private final CliContext ctx;

  @Spec
  CommandSpec spec;

  @Mixin
  HelpOption help;

  TemplatesCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void run() {
    spec.commandLine().usage(ctx.out());
  }

  @Command(name = "list", aliases = {"ls"}, description = "List the runtime templates.",
      footer = {"", "Example:", "  zlayer templates list"})
  static final class ListTemplates implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    HelpOption help;

    ListTemplates(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      TextTable table = new TextTable("NAME", "DESCRIPTION", "DETECTED BY");
      for (RuntimeTemplate t : RuntimeTemplates.all()) {
        table.row(t.name(), t.description(), String.join(", ", t.detectFiles()));
      }
      table.print(ctx.out());
      return 0;
    }
  }

  @Command(name = "show", description = "Print a runtime template's Dockerfile.",
      footer = {"", "Examples:", "  zlayer templates show python313",
          "  zlayer templates show go > Dockerfile"})
  static final class Show implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "NAME", description = "The template (a name or an alias).")
    String name;

    @Mixin
    HelpOption help;

    Show(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws UsageException {
      RuntimeTemplate t = RuntimeTemplates.find(name).orElseThrow(() -> new UsageException(
          "unknown runtime template \"" + name + "\"", "use one of: "
              + String.join(", ", RuntimeTemplates.names())));
      ctx.out().print(t.dockerfile());
      return 0;
    }
  }

  @Command(name = "detect", description = {"Tell which runtime template suits a project, and",
      "why (from the files at its root). Exit status 1 when none does."},
      footer = {"", "Examples:", "  zlayer templates detect", "  zlayer templates detect ./api"})
  static final class Detect implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "The project directory "
        + "(default: the current directory).")
    Path dir;

    @Mixin
    HelpOption help;

    Detect(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws UsageException {
      Path project = (dir == null ? Path.of("") : dir).toAbsolutePath().normalize();
      if (!Files.isDirectory(project)) {
        throw new UsageException(project + " is not a directory");
      }
      Optional<TemplateDetector.Detection> d = BuildFileReader.detect(project);
      if (d.isEmpty()) {
        throw new UsageException("no runtime template matches " + project, "the templates "
            + "look for: package.json, deno.json, Cargo.toml, pyproject.toml, requirements.txt, "
            + "go.mod (see zlayer templates list)");
      }
      ctx.out().println(d.get().template().name() + ": " + d.get().reason());
      return 0;
    }
  }
}
