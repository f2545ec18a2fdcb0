package io.zlayer.domain.image;

import java.util.List;

/**
 * Docker's healthcheck settings. {@code test} is {@code ["NONE"]}, {@code ["CMD", args…]} or
 * {@code ["CMD-SHELL", command]}; durations are nanoseconds, 0 meaning "inherit the default".
 */
public record HealthConfig(List<String> test, long intervalNanos, long timeoutNanos,
    long startPeriodNanos, long startIntervalNanos, int retries) {
  public HealthConfig {
    test = List.copyOf(test);
  }
}
