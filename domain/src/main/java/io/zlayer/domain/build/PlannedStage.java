package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.instructions.StageDefinition;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A stage the build has to produce, with its FROM resolved.
 *
 * @param definition the stage as parsed (instructions unexpanded)
 * @param displayName the stage name, or {@code stage-N} for an unnamed stage (BuildKit's name
 *     in progress output and error messages)
 * @param base what the stage starts from
 * @param platform the platform the stage runs for: a stage base's platform, else {@code FROM
 *     --platform}, else the target platform ({@code FROM scratch} always uses the target)
 * @param stageDependencies the stages that must be built first: the base stage, COPY/ADD
 *     {@code --from} and RUN {@code --mount from=} stages, and those of ONBUILD triggers
 *     inherited from a base stage
 * @param imageSources images used by {@code COPY --from} or {@code --mount from=}, in order
 */
public record PlannedStage(
    StageDefinition definition,
    String displayName,
    StageBase base,
    Platform platform,
    SortedSet<Integer> stageDependencies,
    List<ImageReference> imageSources) {

  public PlannedStage {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(platform, "platform");
    stageDependencies = Collections.unmodifiableSortedSet(new TreeSet<>(stageDependencies));
    imageSources = List.copyOf(imageSources);
  }

  /** The 0-based stage index. */
  public int index() {
    return definition.index();
  }

  /** The lower-cased {@code AS} name. */
  public Optional<String> name() {
    return definition.name();
  }
}
