package io.zlayer.adapters.cli;

import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code zlayer tag}. */
@Command(name = "tag", description = "Give a local image another name.",
    footer = {"", "Examples:",
        "  zlayer tag app:dev registry.example.com/team/app:1.0",
        "  zlayer tag 3f2a1b2c3d4e app:latest"})
final class TagCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Parameters(index = "0", paramLabel = "SOURCE",
      description = "The image: a name, an image ID or a manifest digest (or a prefix of one).")
  String source;

  @Parameters(index = "1", paramLabel = "TARGET", description = "The new name: NAME[:TAG].")
  String target;

  @Mixin
  HelpOption help;

  TagCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException {
    ImageReference name = ImageReference.parse(target);
    ctx.useCases().localImages().tag(source, name);
    return 0;
  }
}
