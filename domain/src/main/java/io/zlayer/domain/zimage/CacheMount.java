package io.zlayer.domain.zimage;

import java.util.Optional;

/**
 * A cache directory for a {@code run} step, Dockerfile's {@code RUN --mount=type=cache}.
 *
 * @param sharing {@code shared}, {@code private} or {@code locked}; BuildKit's default
 *     ({@code shared}) when empty
 */
public record CacheMount(String target, Optional<String> id, Optional<String> sharing,
    boolean readonly) {}
