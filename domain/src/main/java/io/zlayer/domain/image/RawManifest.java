package io.zlayer.domain.image;

import io.zlayer.domain.error.ImageFormatException;
import java.util.Arrays;

/**
 * A manifest exactly as it was fetched or written: its bytes are what the digest covers, so they
 * are kept and never re-serialised.
 */
public record RawManifest(byte[] bytes, String mediaType, Digest digest) {
  public RawManifest {
    bytes = bytes.clone();
  }

  /** Wraps bytes, computing their sha256 digest. */
  public static RawManifest of(byte[] bytes, String mediaType) {
    return new RawManifest(bytes, mediaType, Digest.sha256(bytes));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public Manifest parse() throws ImageFormatException {
    return ImageJson.parseManifest(bytes, mediaType);
  }

  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawManifest r && r.digest.equals(digest) && r.mediaType.equals(mediaType)
        && Arrays.equals(r.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "RawManifest[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
  }
}
