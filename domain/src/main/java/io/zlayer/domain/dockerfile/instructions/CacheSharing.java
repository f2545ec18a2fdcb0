package io.zlayer.domain.dockerfile.instructions;

import java.util.Locale;
import java.util.Optional;

/** {@code RUN --mount type=cache,sharing=…}: how concurrent builds use one cache. */
public enum CacheSharing {
  /** Concurrent writers use the same directory (BuildKit's default). */
  SHARED,
  /** A concurrent writer gets a fresh directory. */
  PRIVATE,
  /** A concurrent writer waits until the cache is released. */
  LOCKED;

  /** The Dockerfile spelling ({@code "shared"}). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode for a Dockerfile value, compared case-insensitively as BuildKit does. */
  public static Optional<CacheSharing> of(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    for (CacheSharing s : values()) {
      if (s.value().equals(lower)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
