package io.zlayer.domain.error;

import java.util.Optional;

/** The user asked for something malformed or impossible: a bad flag value, a missing context. */
public final class UsageException extends ZlayerException {
  private final String hint;

  public UsageException(String message) {
    this(message, null);
  }

  public UsageException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  @Override
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }
}
