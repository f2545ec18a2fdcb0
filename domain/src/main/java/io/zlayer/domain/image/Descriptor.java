package io.zlayer.domain.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An OCI content descriptor: what a blob is, its digest and size, and optional extras. */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    List<String> urls,
    Map<String, String> annotations,
    Optional<Platform> platform,
    Optional<String> artifactType) {

  public Descriptor {
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size must not be negative");
    }
    urls = List.copyOf(urls);
    annotations = Map.copyOf(annotations);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, List.of(), Map.of(), Optional.empty(),
        Optional.empty());
  }

  public Descriptor withPlatform(Platform p) {
    return new Descriptor(mediaType, digest, size, urls, annotations, Optional.of(p), artifactType);
  }

  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType);
  }

  public Descriptor withMediaType(String newMediaType) {
    return new Descriptor(newMediaType, digest, size, urls, annotations, platform, artifactType);
  }
}
