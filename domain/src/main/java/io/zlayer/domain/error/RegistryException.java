package io.zlayer.domain.error;

import java.util.Optional;

/**
 * A registry refused or failed a request. The message names the registry and repository and
 * never contains credentials.
 */
public final class RegistryException extends ZlayerException {
  /** What kind of failure, so callers (and exit codes, hints) can tell them apart. */
  public enum Kind {
    UNAUTHORIZED,
    DENIED,
    NOT_FOUND,
    UNREACHABLE,
    INSECURE_REFUSED,
    PROTOCOL,
    DIGEST_MISMATCH
  }

  private final Kind kind;
  private final String hint;

  public RegistryException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public RegistryException(Kind kind, String message, String hint, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.hint = hint;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }
}
