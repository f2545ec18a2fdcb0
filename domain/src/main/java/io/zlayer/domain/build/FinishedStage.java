package io.zlayer.domain.build;

import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.Platform;
import java.util.List;
import java.util.Objects;

/**
 * The state a stage ended in, which a later {@code FROM <stage>} continues from: BuildKit hands
 * the child the parent's image config, its build environment (ENV and ARG values) and its ARGs.
 *
 * @param stageIndex the stage's 0-based index
 * @param image the stage's image config (history included, no creation time)
 * @param environment the build environment as {@code KEY=value}, in order
 * @param arguments the ARGs in scope, in declaration order
 * @param platform the platform the stage ran for
 */
public record FinishedStage(int stageIndex, ImageConfig image, List<String> environment,
    List<ArgBinding> arguments, Platform platform) {

  public FinishedStage {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(platform, "platform");
    environment = List.copyOf(environment);
    arguments = List.copyOf(arguments);
  }
}
