package io.zlayer.domain.error;

/** Image metadata (digest, manifest, index, config, layer) that is malformed or inconsistent. */
public final class ImageFormatException extends ZlayerException {
  public ImageFormatException(String message) {
    super(message);
  }

  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
