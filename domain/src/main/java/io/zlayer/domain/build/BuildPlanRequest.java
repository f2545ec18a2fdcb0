package io.zlayer.domain.build;

import io.zlayer.domain.image.Platform;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a build asks of the planner.
 *
 * @param dockerfile the Dockerfile text
 * @param sourceName how errors name the file, e.g. {@code Dockerfile}
 * @param buildArgs the {@code --build-arg} values, in the order given ({@code --build-arg K}
 *     without a value is resolved from the environment by the caller)
 * @param target the {@code --target} stage; empty builds the last stage
 * @param buildPlatform the platform the build runs on ({@code BUILDPLATFORM})
 * @param targetPlatform the platform the image is for ({@code TARGETPLATFORM})
 */
public record BuildPlanRequest(
    String dockerfile,
    String sourceName,
    Map<String, String> buildArgs,
    Optional<String> target,
    Platform buildPlatform,
    Platform targetPlatform) {

  public BuildPlanRequest {
    Objects.requireNonNull(dockerfile, "dockerfile");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(buildPlatform, "buildPlatform");
    Objects.requireNonNull(targetPlatform, "targetPlatform");
    buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
    target = target.filter(t -> !t.isEmpty());
  }

  /** A request without build args or target, building for the build platform. */
  public static BuildPlanRequest of(String dockerfile, Platform platform) {
    return new BuildPlanRequest(dockerfile, "Dockerfile", Map.of(), Optional.empty(), platform,
        platform);
  }
}
