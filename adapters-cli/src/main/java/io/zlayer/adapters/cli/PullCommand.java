package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.progress.EventTally;
import io.zlayer.adapters.cli.progress.ProgressRenderer;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.image.RawManifest;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zlayer pull}. */
@Command(name = "pull", description = "Download an image from a registry into the local store.",
    footer = {"", "Examples:",
        "  zlayer pull alpine",
        "  zlayer pull --platform linux/arm64 ghcr.io/acme/app:1.2",
        "  zlayer pull --insecure-registry registry.lan:5000 registry.lan:5000/tools/jq",
        "  zlayer pull --creds \"$USER:$TOKEN\" registry.example.com/team/app:1.2"})
final class PullCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Parameters(paramLabel = "REF", description = "The image: NAME[:TAG|@DIGEST].")
  String reference;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "The platform to pull from a multi-platform image (default: this host's).")
  String platform;

  @Mixin
  RegistryFlags registry;

  @Mixin
  ProgressOption progress;

  @Mixin
  HelpOption help;

  PullCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException, InterruptedException {
    ImageReference ref = ImageReference.parse(reference);
    Platform wanted = platform == null ? Platform.host() : Platform.parse(platform).normalized();
    RegistryOptions options = registry.options(List.of(ref));
    PrintWriter out = ctx.out();
    if (!ctx.quiet() && hasNoTagOrDigest(reference)) {
      out.println("Using default tag: " + ImageReference.DEFAULT_TAG);
      out.flush();
    }
    LocalImage image;
    EventTally tally;
    try (ProgressRenderer renderer = ctx.openProgress(progress.mode(ctx.env()),
        "Pulling " + ref.familiarString())) {
      tally = new EventTally(renderer);
      image = ctx.useCases().pullImage().pull(new PullImage.Command(ref, wanted, options, tally));
    }
    if (!ctx.quiet()) {
      Digest digest = image.index().map(RawManifest::digest)
          .orElse(image.manifestDescriptor().digest());
      out.println("Digest: " + digest);
      out.println("Status: " + (tally.transfersDone() > 0 ? "Downloaded newer image for "
          : "Image is up to date for ") + ref.familiarString());
    }
    out.println(ref);
    return 0;
  }

  private static boolean hasNoTagOrDigest(String text) {
    try {
      ImageReference.parseRepository(text);
      return true;
    } catch (InvalidReferenceException e) {
      return false;
    }
  }
}
