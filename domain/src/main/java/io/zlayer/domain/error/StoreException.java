package io.zlayer.domain.error;

import java.util.Optional;

/** The local image store cannot do what was asked (unknown image, corrupt blob, I/O failure). */
public final class StoreException extends ZlayerException {
  private final boolean notFound;
  private final String hint;

  public StoreException(String message) {
    this(message, false, null, null);
  }

  public StoreException(String message, Throwable cause) {
    this(message, false, null, cause);
  }

  private StoreException(String message, boolean notFound, String hint, Throwable cause) {
    super(message, cause);
    this.notFound = notFound;
    this.hint = hint;
  }

  /** An image or blob that is not in the store. */
  public static StoreException notFound(String message, String hint) {
    return new StoreException(message, true, hint, null);
  }

  public boolean isNotFound() {
    return notFound;
  }

  @Override
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }
}
