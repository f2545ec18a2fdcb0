package io.zlayer.adapters.sandbox.store;

import io.zlayer.domain.image.LayerCompression;
import java.util.Optional;

/** A compression recognised by its magic bytes, as Docker's DecompressStream does. */
enum StreamCompression {
  NONE,
  GZIP,
  BZIP2,
  XZ,
  ZSTD;

  /** How many leading bytes {@link #sniff} looks at. */
  static final int MAGIC_LENGTH = 6;

  static StreamCompression sniff(byte[] head) {
    if (startsWith(head, 0x1f, 0x8b, 0x08)) {
      return GZIP;
    }
    if (startsWith(head, 'B', 'Z', 'h')) {
      return BZIP2;
    }
    if (startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZ;
    }
    if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) {
      return ZSTD;
    }
    return NONE;
  }

  /** The layer compression an OCI media type can express, if any. */
  Optional<LayerCompression> asLayerCompression() {
    return switch (this) {
      case NONE -> Optional.of(LayerCompression.NONE);
      case GZIP -> Optional.of(LayerCompression.GZIP);
      case ZSTD -> Optional.of(LayerCompression.ZSTD);
      case BZIP2, XZ -> Optional.empty();
    };
  }

  private static boolean startsWith(byte[] head, int... magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
