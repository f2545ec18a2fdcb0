package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.instructions.ParsedDockerfile;
import io.zlayer.domain.image.Platform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a build will do, decided before anything runs: which stages are needed and in which
 * order, what each starts from, and the values of the global build arguments. Both engines
 * drive a {@link StageEvaluator} per stage from it.
 *
 * @param sourceName how errors name the Dockerfile
 * @param dockerfile the typed Dockerfile (all stages, unexpanded)
 * @param stages the stages the target needs, in build order (Dockerfile order)
 * @param target the stage whose result is the image
 * @param unusedStages indexes of stages the target does not need (BuildKit skips them)
 * @param waves the needed stages grouped so that each group depends only on earlier groups:
 *     the stages of one wave can be built in parallel
 * @param metaArgs the global scope FROM lines are expanded with: the automatic platform
 *     arguments, then the ARGs before the first FROM with their values (an ARG without value is
 *     absent)
 * @param args the build arguments
 * @param buildPlatform the platform the build runs on, normalized
 * @param targetPlatform the platform the image is for, normalized ({@code linux/arm64/v8} is
 *     {@code linux/arm64}, {@code linux/arm} is {@code linux/arm/v7}), as BuildKit's frontend
 *     normalizes {@code --platform}
 * @param escapeToken the Dockerfile's escape character
 * @param warnings findings that do not stop the build, by line (whole-build ones last)
 * @param externalImages images to pull: stage bases at their stage's platform, COPY/mount
 *     sources at the target platform; each once, in order of first use
 */
public record BuildPlan(
    String sourceName,
    ParsedDockerfile dockerfile,
    List<PlannedStage> stages,
    PlannedStage target,
    List<Integer> unusedStages,
    List<List<Integer>> waves,
    Map<String, String> metaArgs,
    BuildArguments args,
    Platform buildPlatform,
    Platform targetPlatform,
    char escapeToken,
    List<BuildWarning> warnings,
    List<ExternalImage> externalImages) {

  public BuildPlan {
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(dockerfile, "dockerfile");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(buildPlatform, "buildPlatform");
    Objects.requireNonNull(targetPlatform, "targetPlatform");
    stages = List.copyOf(stages);
    unusedStages = List.copyOf(unusedStages);
    List<List<Integer>> w = new ArrayList<>();
    for (List<Integer> wave : waves) {
      w.add(List.copyOf(wave));
    }
    waves = List.copyOf(w);
    metaArgs = Collections.unmodifiableMap(new LinkedHashMap<>(metaArgs));
    warnings = List.copyOf(warnings);
    externalImages = List.copyOf(externalImages);
  }

  /** The needed stage with this index. */
  public Optional<PlannedStage> stage(int index) {
    return stages.stream().filter(s -> s.index() == index).findFirst();
  }

  /**
   * Whether the layers of the stage with this index end up in the image: the target's, and
   * those of the stages it is built {@code FROM}, transitively. The other stages only feed
   * {@code COPY --from} and mounts.
   */
  public boolean layersInImage(int index) {
    PlannedStage s = target;
    while (true) {
      if (s.index() == index) {
        return true;
      }
      if (!(s.base() instanceof StageBase.Stage parent)) {
        return false;
      }
      Optional<PlannedStage> next = stage(parent.index());
      if (next.isEmpty()) {
        return false;
      }
      s = next.get();
    }
  }

  /** Whether the stage with this index produces the image. */
  public boolean isTarget(int index) {
    return target.index() == index;
  }
}
