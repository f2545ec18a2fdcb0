package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.progress.ProgressRenderer;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zlayer push}. */
@Command(name = "push", description = {"Upload a local image to a registry.",
    "A manifest list is pushed with all its images."},
    footer = {"", "Examples:",
        "  zlayer push registry.example.com/team/app:1.0",
        "  zlayer push app:dev registry.example.com/team/app:1.0",
        "  zlayer push --digestfile app.digest localhost:5000/app",
        "  zlayer push --tls-verify=false app registry.lan:5000/app:latest"})
final class PushCommand implements Callable<Integer> {
  private static final String REGISTRY_TRANSPORT = "docker://";
  private static final Set<String> OTHER_TRANSPORTS = Set.of("oci", "oci-archive",
      "docker-archive", "docker-daemon", "containers-storage", "dir", "sif", "tarball", "ostree");

  private final CliContext ctx;

  @Parameters(index = "0", paramLabel = "SOURCE",
      description = "The local image: a name, an image ID or a manifest digest.")
  String source;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DESTINATION",
      description = "Where to push: [docker://]NAME[:TAG]; without a tag, 'latest'. "
          + "Default: the source's name.")
  String destination;

  @Option(names = "--digestfile", paramLabel = "FILE",
      description = "Write the digest of the pushed manifest to FILE.")
  Path digestFile;

  @Mixin
  RegistryFlags registry;

  @Mixin
  ProgressOption progress;

  @Mixin
  HelpOption help;

  PushCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException, InterruptedException {
    Optional<ImageReference> dest = destination == null ? Optional.empty()
        : Optional.of(parseDestination(destination));
    Optional<ImageReference> target = dest.isPresent() ? dest : sourceName(source);
    RegistryOptions options = registry.options(target.map(List::of).orElse(List.of()));
    if (!ctx.quiet() && target.isPresent()) {
      if (hasNoTagOrDigest(destination != null ? destination : source)) {
        ctx.out().println("Using default tag: " + ImageReference.DEFAULT_TAG);
      }
      ctx.out().println("The push refers to repository [" + target.get().fullName() + "]");
      ctx.out().flush();
    }
    Digest digest;
    try (ProgressRenderer renderer = ctx.openProgress(progress.mode(ctx.env()),
        "Pushing " + target.map(ImageReference::familiarString).orElse(source))) {
      digest = ctx.useCases().pushImage().push(new PushImage.Command(source, dest, options,
          renderer));
    }
    if (digestFile != null) {
      writeDigest(digestFile, digest);
    }
    String tag = target.flatMap(ImageReference::tag).orElse(ImageReference.DEFAULT_TAG);
    if (ctx.quiet()) {
      ctx.out().println(target.map(t -> t.withoutTagOrDigest() + ":" + tag + "@" + digest)
          .orElse(digest.toString()));
    } else {
      ctx.out().println(tag + ": digest: " + digest);
    }
    return 0;
  }

  /**
   * A destination as buildah takes it: a registry reference, optionally {@code docker://}.
   * Other containers/image transports ({@code oci:}, {@code docker-archive:}, ...) are refused
   * by name; anything else is read as a reference.
   */
  static ImageReference parseDestination(String text) throws ZlayerException {
    if (text.startsWith(REGISTRY_TRANSPORT)) {
      return ImageReference.parse(text.substring(REGISTRY_TRANSPORT.length()));
    }
    int colon = text.indexOf(':');
    if (colon > 0 && OTHER_TRANSPORTS.contains(text.substring(0, colon))) {
      throw new UsageException("unsupported destination transport \""
          + text.substring(0, colon) + ":\"",
          "push sends images to registries: give NAME[:TAG] or docker://NAME[:TAG]");
    }
    return ImageReference.parse(text);
  }

  private static boolean hasNoTagOrDigest(String text) {
    try {
      ImageReference.parseRepository(text.startsWith(REGISTRY_TRANSPORT)
          ? text.substring(REGISTRY_TRANSPORT.length()) : text);
      return true;
    } catch (InvalidReferenceException e) {
      return false;
    }
  }

  /** The source's name when it is one (not an image ID), to say where the push goes. */
  private static Optional<ImageReference> sourceName(String source) {
    if (source.matches("(sha256:)?[0-9a-f]{4,64}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(ImageReference.parse(source));
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  private static void writeDigest(Path file, Digest digest) throws UsageException {
    try {
      Files.writeString(file, digest.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot write the digest to " + file + ": " + e.getMessage());
    }
  }
}
