package io.zlayer.domain.dockerfile.instructions;

import java.util.Locale;
import java.util.Optional;

/** {@code RUN --mount type=…}. */
public enum MountType {
  /** A read-only (by default) view of a stage, image or the build context. */
  BIND,
  /** A persistent cache directory shared between builds. */
  CACHE,
  /** An empty in-memory filesystem. */
  TMPFS,
  /** A build secret, as a file or an environment variable. */
  SECRET,
  /** The SSH agent socket forwarded from the client. */
  SSH;

  /** The Dockerfile spelling ({@code "bind"}). */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type for a Dockerfile value, compared case-insensitively as BuildKit does. */
  public static Optional<MountType> of(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    for (MountType t : values()) {
      if (t.value().equals(lower)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
