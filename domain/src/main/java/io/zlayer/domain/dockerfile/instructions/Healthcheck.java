package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;

/**
 * {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [--interval=…] [--timeout=…]
 * [--start-period=…] [--start-interval=…] [--retries=…] CMD <command>}. Not expanded by the
 * builder.
 */
public record Healthcheck(SourceLocation location, String original, HealthcheckConfig config)
    implements Instruction {

  public Healthcheck {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(config, "config");
  }

  @Override
  public String keyword() {
    return "healthcheck";
  }
}
