package io.zlayer.domain.dockerfile.instructions;

import java.util.List;
import java.util.Optional;

/**
 * A Dockerfile as typed instructions: the ARGs before the first FROM (global build arguments,
 * visible to FROM lines) and the stages in order.
 *
 * @param metaArgs the ARG instructions before the first FROM
 * @param stages the build stages, never empty
 */
public record ParsedDockerfile(List<Arg> metaArgs, List<StageDefinition> stages) {

  public ParsedDockerfile {
    metaArgs = List.copyOf(metaArgs);
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a Dockerfile has at least one stage");
    }
  }

  /** The stage with this name, compared case-insensitively as BuildKit does. */
  public Optional<StageDefinition> stage(String name) {
    return stages.stream()
        .filter(s -> s.name().filter(n -> n.equalsIgnoreCase(name)).isPresent())
        .findFirst();
  }

  /** The last stage, which a build without a target produces. */
  public StageDefinition lastStage() {
    return stages.get(stages.size() - 1);
  }
}
