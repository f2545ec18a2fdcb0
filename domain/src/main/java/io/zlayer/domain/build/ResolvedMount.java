package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.instructions.Mount;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code RUN --mount} with its values expanded and its source and target resolved.
 *
 * @param mount the mount, values expanded, BuildKit's defaults applied
 * @param target where it appears: for bind, cache and tmpfs mounts an absolute path (a relative
 *     target is resolved against the working directory); for secret and ssh mounts the target
 *     as written, if any (the engine applies its defaults)
 * @param source what a bind or cache mount shows: the build context, a stage, an image, or
 *     (cache without {@code from}) an empty directory; empty for tmpfs, secret and ssh
 */
public record ResolvedMount(Mount mount, Optional<String> target, Optional<FileSource> source) {
  public ResolvedMount {
    Objects.requireNonNull(mount, "mount");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(source, "source");
  }
}
