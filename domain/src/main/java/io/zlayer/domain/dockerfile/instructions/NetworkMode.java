package io.zlayer.domain.dockerfile.instructions;

import java.util.Optional;

/** {@code RUN --network}: the network a RUN step gets. */
public enum NetworkMode {
  /** The builder's default network. */
  DEFAULT("default"),
  /** No network access (loopback only). */
  NONE("none"),
  /** The host's network namespace (needs the network.host entitlement). */
  HOST("host");

  private final String value;

  NetworkMode(String value) {
    this.value = value;
  }

  /** The Dockerfile spelling. */
  public String value() {
    return value;
  }

  /** The mode for an exact (case-sensitive) Dockerfile value, as BuildKit matches it. */
  public static Optional<NetworkMode> of(String value) {
    for (NetworkMode m : values()) {
      if (m.value.equals(value)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
