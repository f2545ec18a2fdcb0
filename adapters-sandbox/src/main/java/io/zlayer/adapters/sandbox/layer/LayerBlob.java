package io.zlayer.adapters.sandbox.layer;

import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;

/**
 * A layer blob as written: {@code digest} and {@code size} of the compressed bytes, and
 * {@code diffId}, the digest of the uncompressed tar (what the image config lists).
 */
public record LayerBlob(Digest digest, long size, Digest diffId, LayerCompression compression) {

  /** The layer media type for a manifest format ({@link MediaTypes#layerType}). */
  public String mediaType(ImageFormat format) {
    return MediaTypes.layerType(format, compression);
  }

  public Descriptor descriptor(ImageFormat format) {
    return Descriptor.of(mediaType(format), digest, size);
  }
}
