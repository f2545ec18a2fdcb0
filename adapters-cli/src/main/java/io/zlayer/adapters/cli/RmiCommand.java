package io.zlayer.adapters.cli;

import io.zlayer.application.usecase.ManageLocalImages;
import io.zlayer.application.usecase.ManageLocalImages.ImageSummary;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageReference;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zlayer rmi}. */
@Command(name = "rmi", description = {"Remove images from the local store.",
    "Their names go now, their content at the next 'zlayer prune'."},
    footer = {"", "Examples:",
        "  zlayer rmi alpine",
        "  zlayer rmi app:dev app:test",
        "  zlayer rmi -f 3f2a1b2c3d4e"})
final class RmiCommand implements Callable<Integer> {
  private static final String ID_PATTERN = "(sha256:)?[0-9a-f]{4,64}";

  private final CliContext ctx;

  @Parameters(arity = "1..*", paramLabel = "REF",
      description = "An image: a name, an image ID or a manifest digest (or a prefix of one).")
  List<String> references;

  @Option(names = {"-f", "--force"},
      description = "Remove an image given by ID even when it has several names.")
  boolean force;

  @Mixin
  HelpOption help;

  RmiCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException {
    ManageLocalImages images = ctx.useCases().localImages();
    int failures = 0;
    for (String reference : references) {
      try {
        if (!force) {
          refuseSeveralNames(reference, images);
        }
        for (String line : images.remove(List.of(reference))) {
          ctx.out().println(line);
        }
      } catch (ZlayerException e) {
        if (references.size() == 1) {
          throw e;
        }
        ctx.err().println("error: " + e.getMessage());
        e.hint().ifPresent(h -> ctx.err().println("hint: " + h));
        failures++;
      }
    }
    return failures == 0 ? 0 : 1;
  }

  /**
   * Docker's rule: an image given by ID that several names point at is removed only with
   * {@code -f}, so one ID cannot silently take many names away.
   */
  private static void refuseSeveralNames(String reference, ManageLocalImages images)
      throws ZlayerException {
    String text = reference.toLowerCase(Locale.ROOT);
    if (!text.matches(ID_PATTERN)) {
      return;
    }
    List<ImageSummary> all = images.list();
    Optional<ImageReference> asName = asName(reference);
    if (asName.isPresent() && all.stream().anyMatch(s -> s.name().equals(asName))) {
      return;
    }
    String hex = text.startsWith("sha256:") ? text.substring(7) : text;
    TreeSet<String> names = new TreeSet<>();
    for (ImageSummary s : all) {
      boolean match = s.imageId().hex().startsWith(hex) || s.manifestDigest().hex().startsWith(hex);
      if (match && s.name().isPresent()) {
        names.add(s.name().get().familiarString());
      }
    }
    if (names.size() > 1) {
      throw new UsageException("unable to remove " + reference + " (must be forced): it has "
          + names.size() + " names (" + String.join(", ", names) + ")",
          "remove the names one at a time, or all of them with: zlayer rmi -f " + reference);
    }
  }

  private static Optional<ImageReference> asName(String text) {
    try {
      return Optional.of(ImageReference.parse(text));
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }
}
