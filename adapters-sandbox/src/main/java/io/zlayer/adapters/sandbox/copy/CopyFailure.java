package io.zlayer.adapters.sandbox.copy;

/**
 * Why a COPY or ADD cannot be done, as Docker words it. The copier turns it into one line that
 * starts with the step's location: {@code Dockerfile:7: COPY failed: <message>}, or without the
 * "COPY failed" part for the messages Docker prints bare.
 */
final class CopyFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean bare;

  private CopyFailure(String message, boolean bare, Throwable cause) {
    super(message, cause);
    this.bare = bare;
  }

  /** A failure Docker reports as {@code COPY failed: <message>}. */
  static CopyFailure of(String message) {
    return new CopyFailure(message, false, null);
  }

  static CopyFailure of(String message, Throwable cause) {
    return new CopyFailure(message, false, cause);
  }

  /** A failure Docker reports with its message alone. */
  static CopyFailure bare(String message) {
    return new CopyFailure(message, true, null);
  }

  boolean isBare() {
    return bare;
  }
}
