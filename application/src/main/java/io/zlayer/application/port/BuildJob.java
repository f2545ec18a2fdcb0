package io.zlayer.application.port;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.domain.build.BuildPlan;
import java.nio.file.Path;

/**
 * One build for an engine.
 *
 * @param plan what to build (stages in order, waves, base images, arguments)
 * @param contextDir the build context, an existing directory
 * @param dockerfile the Dockerfile's path (absolute), for picking its {@code .dockerignore}
 * @param options how to build
 * @param events where progress goes
 */
public record BuildJob(BuildPlan plan, Path contextDir, Path dockerfile, BuildOptions options,
    BuildEventSink events) {}
