package io.zlayer.adapters.cli;

import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageReference;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code zlayer load}. */
@Command(name = "load", description = "Import images from a tar archive (OCI or docker format).",
    footer = {"", "Examples:",
        "  zlayer load -i app.tar",
        "  zlayer load -i saved-by-docker.tar.gz"})
final class LoadCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
      description = "The archive (plain, gzip, bzip2 or zstd compressed).")
  Path input;

  @Mixin
  HelpOption help;

  LoadCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException {
    List<ImageReference> names = ctx.useCases().archiveImages().load(input);
    if (names.isEmpty()) {
      ctx.out().println("Loaded image without a name (see zlayer images)");
    }
    for (ImageReference name : names) {
      ctx.out().println("Loaded image: " + name.familiarString());
    }
    return 0;
  }
}
