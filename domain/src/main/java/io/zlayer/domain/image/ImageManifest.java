package io.zlayer.domain.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An OCI image manifest or a Docker v2 schema 2 manifest (same shape, other media types). */
public record ImageManifest(
    String mediaType,
    Descriptor config,
    List<Descriptor> layers,
    Map<String, String> annotations,
    Optional<Descriptor> subject) implements Manifest {

  public ImageManifest {
    layers = List.copyOf(layers);
    annotations = Map.copyOf(annotations);
  }

  public ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) {
    this(mediaType, config, layers, Map.of(), Optional.empty());
  }

  public ImageFormat format() {
    return ImageFormat.ofManifestType(mediaType);
  }

  /** Total size of config and layers, as registries and {@code docker images} count it. */
  public long contentSize() {
    return config.size() + layers.stream().mapToLong(Descriptor::size).sum();
  }
}
