package io.zlayer.application.usecase;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code zlayer build}: a Dockerfile and its context into a named image in the local store. */
public interface BuildImage {
  Result build(Command command) throws ZlayerException, InterruptedException;

  /** When base images are fetched from their registry ({@code --pull}). */
  enum PullPolicy {
    /** Only when the local store lacks the image (the default). */
    MISSING,
    /** Always check the registry for a newer image. */
    ALWAYS,
    /** Never: a missing base image is an error. */
    NEVER
  }

  /** Where the image goes besides the local store ({@code --output}). */
  sealed interface Output {
    /** {@code type=oci,dest=FILE}: an OCI archive (skopeo's {@code oci-archive:}). */
    record OciArchive(Path file) implements Output {}

    /** {@code type=docker,dest=FILE}: a {@code docker load} tarball. */
    record DockerArchive(Path file) implements Output {}

    /** {@code type=registry}: push every tag (same as {@code --push}). */
    record Registry() implements Output {}
  }

  /**
   * @param contextDir the build context directory
   * @param dockerfile the Dockerfile's path (for its ignore file and for messages)
   * @param dockerfileText the Dockerfile's content (read by the caller; may come from stdin)
   * @param buildArgs {@code --build-arg} values
   * @param target {@code --target}
   * @param platform {@code --platform}; the host's when empty
   * @param tags {@code -t} names
   * @param backend {@code sandbox}, {@code buildah} or {@code auto}
   */
  record Command(Path contextDir, Path dockerfile, String dockerfileText,
      Map<String, String> buildArgs, Optional<String> target, Optional<Platform> platform,
      List<ImageReference> tags, BuildOptions options, String backend, PullPolicy pull,
      List<Output> outputs, BuildEventSink events) {
    public Command {
      buildArgs = Map.copyOf(buildArgs);
      tags = List.copyOf(tags);
      outputs = List.copyOf(outputs);
    }
  }

  /**
   * @param imageId the config digest, Docker's image ID
   * @param manifestDigest the manifest's digest (what a registry would report)
   * @param pushed the digests the registry reported, per pushed tag
   */
  record Result(Digest imageId, Digest manifestDigest, List<ImageReference> tags, long size,
      Duration elapsed, int steps, int cachedSteps, String engine,
      Map<ImageReference, Digest> pushed) {}
}
