package io.zlayer.application.port;

import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to build, beyond what the Dockerfile says.
 *
 * @param noCache {@code --no-cache}: run every step
 * @param format manifest and config media types ({@code --format oci|docker})
 * @param compression layer compression (gzip by default; zstd only with the OCI format)
 * @param secrets {@code --secret} sources, by id
 * @param sshAgents {@code --ssh id=socket} agent sockets, by id ({@code default} for the plain form)
 * @param timestamp {@code SOURCE_DATE_EPOCH} / {@code --timestamp}: all image and layer times
 * @param labels {@code --label}: labels added to the final image
 * @param isolation buildah's {@code --isolation} (chroot, oci, rootless), when given
 * @param registryOptions how to reach registries for base images and pushes
 * @param tags the names the image gets ({@code -t}); engines with a storage of their own
 *     (buildah) name the image there too, the image store is tagged by the caller
 */
public record BuildOptions(boolean noCache, ImageFormat format, LayerCompression compression,
    List<SecretSource> secrets, Map<String, String> sshAgents, Optional<Instant> timestamp,
    Map<String, String> labels, Optional<String> isolation, RegistryOptions registryOptions,
    List<ImageReference> tags) {

  public BuildOptions {
    secrets = List.copyOf(secrets);
    sshAgents = Map.copyOf(sshAgents);
    labels = Map.copyOf(labels);
    tags = List.copyOf(tags);
  }

  /** Options without tags (the build use case adds the command's tags). */
  public BuildOptions(boolean noCache, ImageFormat format, LayerCompression compression,
      List<SecretSource> secrets, Map<String, String> sshAgents, Optional<Instant> timestamp,
      Map<String, String> labels, Optional<String> isolation, RegistryOptions registryOptions) {
    this(noCache, format, compression, secrets, sshAgents, timestamp, labels, isolation,
        registryOptions, List.of());
  }

  public BuildOptions withTags(List<ImageReference> newTags) {
    return new BuildOptions(noCache, format, compression, secrets, sshAgents, timestamp, labels,
        isolation, registryOptions, newTags);
  }

  public static BuildOptions defaults() {
    return new BuildOptions(false, ImageFormat.OCI, LayerCompression.GZIP, List.of(), Map.of(),
        Optional.empty(), Map.of(), Optional.empty(), RegistryOptions.DEFAULT);
  }

  public Optional<SecretSource> secret(String id) {
    return secrets.stream().filter(s -> s.id().equals(id)).findFirst();
  }
}
