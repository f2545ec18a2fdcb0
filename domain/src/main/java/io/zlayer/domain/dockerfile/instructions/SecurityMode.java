package io.zlayer.domain.dockerfile.instructions;

import java.util.Optional;

/** {@code RUN --security}: whether a RUN step is sandboxed. */
public enum SecurityMode {
  /** The default confinement. */
  SANDBOX("sandbox"),
  /** Privileged execution (needs the security.insecure entitlement). */
  INSECURE("insecure");

  private final String value;

  SecurityMode(String value) {
    this.value = value;
  }

  /** The Dockerfile spelling. */
  public String value() {
    return value;
  }

  /** The mode for an exact (case-sensitive) Dockerfile value, as BuildKit matches it. */
  public static Optional<SecurityMode> of(String value) {
    for (SecurityMode m : values()) {
      if (m.value.equals(value)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
