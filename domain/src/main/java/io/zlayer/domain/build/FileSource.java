package io.zlayer.domain.build;

import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.util.Objects;

/** Where COPY, ADD or a RUN mount takes files from. */
public sealed interface FileSource {

  /** The build context (COPY without {@code --from}, a bind mount without {@code from}). */
  record BuildContext() implements FileSource {}

  /** An empty directory ({@code --from=scratch}, a cache mount without {@code from}). */
  record Scratch() implements FileSource {}

  /**
   * The filesystem a stage of this build ended with.
   *
   * @param index the stage's 0-based index
   */
  record StageOutput(int index) implements FileSource {}

  /**
   * The filesystem of an image ({@code COPY --from=nginx:1}).
   *
   * @param reference the normalized reference
   * @param platform the platform to pull it for (BuildKit uses the target platform)
   */
  record Image(ImageReference reference, Platform platform) implements FileSource {
    public Image {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(platform, "platform");
    }
  }

  /** A short, stable description for cache keys and messages. */
  default String describe() {
    if (this instanceof StageOutput s) {
      return "stage:" + s.index();
    }
    if (this instanceof Image i) {
      return "image:" + i.reference() + "@" + i.platform();
    }
    return this instanceof Scratch ? "scratch" : "context";
  }
}
