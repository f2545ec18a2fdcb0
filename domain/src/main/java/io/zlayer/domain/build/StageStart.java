package io.zlayer.domain.build;

import io.zlayer.domain.image.ImageConfig;
import java.util.Objects;

/** What a {@link StageEvaluator} starts from; it must match the planned {@link StageBase}. */
public sealed interface StageStart {

  /** {@code FROM scratch}. */
  record FromScratch() implements StageStart {}

  /**
   * An image base, by its config as pulled.
   *
   * @param config the base image's config
   */
  record FromImage(ImageConfig config) implements StageStart {
    public FromImage {
      Objects.requireNonNull(config, "config");
    }
  }

  /**
   * An earlier stage of the build.
   *
   * @param parent how that stage ended
   */
  record FromStage(FinishedStage parent) implements StageStart {
    public FromStage {
      Objects.requireNonNull(parent, "parent");
    }
  }

  static StageStart scratch() {
    return new FromScratch();
  }

  static StageStart image(ImageConfig config) {
    return new FromImage(config);
  }

  static StageStart stage(FinishedStage parent) {
    return new FromStage(parent);
  }
}
