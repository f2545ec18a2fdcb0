package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.format.JsonText;
import io.zlayer.adapters.cli.progress.ProgressRenderer;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zlayer manifest create|add|remove|inspect|push}, as {@code buildah manifest}. */
@Command(name = "manifest", description = "Make and push multi-platform manifest lists.",
    subcommands = {ManifestCommand.Create.class, ManifestCommand.Add.class,
        ManifestCommand.Remove.class, ManifestCommand.Inspect.class, ManifestCommand.Push.class},
    footer = {"", "Examples:",
        "  zlayer build --platform linux/amd64 -t app:amd64 .",
        "  zlayer build --platform linux/arm64 -t app:arm64 .",
        "  zlayer manifest create app:1.0",
        "  zlayer manifest add app:1.0 app:amd64",
        "  zlayer manifest add app:1.0 app:arm64",
        "  zlayer manifest push app:1.0 registry.example.com/team/app:1.0"})
final class ManifestCommand implements Runnable {
  private final CliContext ctx;

  @Spec
  CommandSpec spec;

  @Mixin
  HelpOption help;

  ManifestCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void run() {
    spec.commandLine().usage(ctx.out());
  }

  @Command(name = "create", description = "Create an empty manifest list in the local store.")
  static final class Create implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "LIST", description = "The list's name.")
    String name;

    @Option(names = "--amend", description = "Replace a list or image of that name.")
    boolean amend;

    @Mixin
    HelpOption help;

    Create(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws ZlayerException {
      Digest d = ctx.useCases().manifestLists().create(ImageReference.parse(name), amend);
      ctx.out().println(d);
      return 0;
    }
  }

  @Command(name = "add", description = "Add a local image to a manifest list (an entry for the"
      + " same platform is replaced).")
  static final class Add implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "LIST")
    String list;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "A local image name or ID.")
    String image;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
        description = "Override the platform recorded for the entry (default: the image's).")
    String platform;

    @Mixin
    HelpOption help;

    Add(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws ZlayerException {
      Optional<Platform> p = platform == null ? Optional.empty()
          : Optional.of(Platform.parse(platform).normalized());
      Digest d = ctx.useCases().manifestLists().add(ImageReference.parse(list), image, p);
      ctx.out().println(d);
      return 0;
    }
  }

  @Command(name = "remove", aliases = "rm", description = "Remove an entry from a manifest list.")
  static final class Remove implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "LIST")
    String list;

    @Parameters(index = "1", paramLabel = "DIGEST", description = "The entry's manifest digest.")
    String digest;

    @Mixin
    HelpOption help;

    Remove(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws ZlayerException {
      Digest entry;
      try {
        entry = Digest.parse(digest);
      } catch (ZlayerException e) {
        throw new UsageException(e.getMessage());
      }
      ctx.out().println(ctx.useCases().manifestLists().remove(ImageReference.parse(list), entry));
      return 0;
    }
  }

  @Command(name = "inspect", description = "Print a manifest list as JSON.")
  static final class Inspect implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "LIST")
    String list;

    @Mixin
    HelpOption help;

    Inspect(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
      byte[] json = ImageJson.write(ctx.useCases().manifestLists()
          .inspect(ImageReference.parse(list)));
      ctx.out().println(JsonText.pretty(JsonText.mapper().readTree(
          new String(json, StandardCharsets.UTF_8))));
      return 0;
    }
  }

  @Command(name = "push", description = "Push a manifest list and its images to a registry.")
  static final class Push implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "LIST")
    String list;

    @Parameters(index = "1", paramLabel = "DEST", arity = "0..1",
        description = "Where to push (default: the list's own name).")
    String destination;

    @Mixin
    RegistryFlags registry;

    @Mixin
    ProgressOption progress;

    @Mixin
    HelpOption help;

    Push(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws ZlayerException, InterruptedException {
      ImageReference name = ImageReference.parse(list);
      ImageReference dest = destination == null ? name
          : ImageReference.parse(destination.startsWith("docker://")
              ? destination.substring("docker://".length()) : destination);
      Digest d;
      try (ProgressRenderer renderer = ctx.openProgress(progress.mode(ctx.env()),
          "Pushing " + dest.familiarString())) {
        d = ctx.useCases().manifestLists().push(name, dest, registry.options(List.of(dest)),
            renderer);
      }
      ctx.out().println(dest.familiarString() + "@" + d);
      return 0;
    }
  }
}
