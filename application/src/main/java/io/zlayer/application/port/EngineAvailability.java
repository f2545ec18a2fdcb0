package io.zlayer.application.port;

import java.util.Optional;

/**
 * Whether a build engine can run here.
 *
 * @param usable true when it can build
 * @param detail what was found ("buildah 1.28.2") or what is wrong ("bwrap not found")
 * @param installHint how to make it usable, when it is not
 */
public record EngineAvailability(boolean usable, String detail, Optional<String> installHint) {
  public static EngineAvailability usable(String detail) {
    return new EngineAvailability(true, detail, Optional.empty());
  }

  public static EngineAvailability unusable(String detail, String installHint) {
    return new EngineAvailability(false, detail, Optional.of(installHint));
  }
}
