package io.zlayer.domain.build;

import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.util.Objects;
import java.util.Optional;

/** What a stage starts from, as BuildKit resolves its (expanded) FROM. */
public sealed interface StageBase {

  /** {@code FROM scratch}: an empty filesystem. */
  record Scratch() implements StageBase {}

  /**
   * An image to pull.
   *
   * @param reference the normalized reference ({@code docker.io/library/alpine:latest})
   * @param platform the expanded {@code FROM --platform}, when given
   */
  record Image(ImageReference reference, Optional<Platform> platform) implements StageBase {
    public Image {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(platform, "platform");
    }
  }

  /**
   * An earlier stage of the same Dockerfile, continued where it ended.
   *
   * @param index the stage's 0-based index
   */
  record Stage(int index) implements StageBase {
    public Stage {
      if (index < 0) {
        throw new IllegalArgumentException("negative stage index " + index);
      }
    }
  }
}
