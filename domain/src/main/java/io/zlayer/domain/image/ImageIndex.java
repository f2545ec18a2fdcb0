package io.zlayer.domain.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An OCI image index or a Docker manifest list. */
public record ImageIndex(String mediaType, List<Descriptor> manifests,
    Map<String, String> annotations) implements Manifest {

  public ImageIndex {
    manifests = List.copyOf(manifests);
    annotations = Map.copyOf(annotations);
  }

  /**
   * The image manifest for a platform, as containerd picks it: the first entry whose platform
   * matches; entries without a platform are not candidates.
   */
  public Optional<Descriptor> select(Platform wanted) {
    return manifests.stream()
        .filter(d -> MediaTypes.isManifest(d.mediaType()))
        .filter(d -> d.platform().map(wanted::matches).orElse(false))
        .findFirst();
  }
}
