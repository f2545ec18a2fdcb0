package io.zlayer.domain.build;

import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.util.Objects;

/**
 * An image a build needs from a registry or the local store: a stage base or a COPY/mount
 * source.
 *
 * @param reference the normalized reference
 * @param platform the platform to resolve it for
 */
public record ExternalImage(ImageReference reference, Platform platform) {
  public ExternalImage {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(platform, "platform");
  }
}
