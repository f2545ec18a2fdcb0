package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code FROM [--platform=<platform>] <image> [AS <name>]}: starts a build stage.
 *
 * @param image the base image or stage name, unexpanded
 * @param stageName the lower-cased stage name after {@code AS}
 * @param platform the {@code --platform} value, unexpanded
 */
public record From(
    SourceLocation location,
    String original,
    String image,
    Optional<String> stageName,
    Optional<String> platform)
    implements Instruction, Expandable<From> {

  public From {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(stageName, "stageName");
    Objects.requireNonNull(platform, "platform");
  }

  @Override
  public String keyword() {
    return "from";
  }

  /**
   * Expands the image and platform (BuildKit does this with the meta ARGs and the automatic
   * platform ARGs only); the stage name is never expanded.
   */
  @Override
  public From expand(WordExpander expander) throws DockerfileException {
    Expansion x = new Expansion(expander, location);
    String expandedImage = x.word(image);
    if (expandedImage.isEmpty()) {
      throw x.error("base name (" + image + ") should not be blank");
    }
    return new From(location, original, expandedImage, stageName, x.optional(platform));
  }
}
