package io.zlayer.domain.image;

/** A manifest fetched or stored: either one image, or an index of platform-specific images. */
public sealed interface Manifest permits ImageManifest, ImageIndex {
  String mediaType();
}
