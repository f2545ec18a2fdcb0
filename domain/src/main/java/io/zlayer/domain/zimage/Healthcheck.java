package io.zlayer.domain.zimage;

import java.util.Optional;
import java.util.OptionalInt;

/** {@code healthcheck}: Dockerfile's {@code HEALTHCHECK}; durations in Go syntax ({@code 30s}). */
public record Healthcheck(ZCommand command, Optional<String> interval, Optional<String> timeout,
    Optional<String> startPeriod, OptionalInt retries) {}
