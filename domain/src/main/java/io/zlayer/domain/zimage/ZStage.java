package io.zlayer.domain.zimage;

import java.util.List;
import java.util.Optional;

/**
 * One named stage of a multi-stage ZImagefile; the last stage is the image.
 *
 * @param platform {@code FROM --platform}
 */
public record ZStage(String name, BaseImage base, Optional<String> platform,
    List<BuildArg> args, List<ZStep> steps, ImageSettings settings) {
  public ZStage {
    args = List.copyOf(args);
    steps = List.copyOf(steps);
  }
}
