package io.zlayer.domain.image;

/** How a layer tar is compressed. */
public enum LayerCompression {
  NONE,
  GZIP,
  ZSTD
}
