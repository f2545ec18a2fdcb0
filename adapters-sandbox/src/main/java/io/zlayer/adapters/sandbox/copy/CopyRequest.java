package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.run.user.PasswdDatabase;
import io.zlayer.domain.build.StepAction.CopyFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * One COPY or ADD to perform.
 *
 * @param step the expanded step (sources, destination resolved against WORKDIR, flags)
 * @param source where the sources are read from
 * @param destination the stage's filesystem before the step (top layer first)
 * @param upperDir an empty directory that receives the step's changes (overlay upper format)
 * @param owners the destination image's users and groups, for {@code --chown} names
 * @param timestamp when set, the mtime of every file written ({@code SOURCE_DATE_EPOCH})
 * @param location where in the Dockerfile the step is, for messages ("Dockerfile:7")
 */
public record CopyRequest(CopyFiles step, SourceTree source, LayerStack destination,
    Path upperDir, PasswdDatabase owners, Optional<Instant> timestamp, String location) {}
