package io.zlayer.domain.pipeline;

import io.zlayer.domain.zimage.CacheMount;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code defaults:}: what every image of the pipeline gets unless it says otherwise. */
public record PipelineDefaults(Optional<String> format, Map<String, String> buildArgs,
    boolean noCache, List<CacheMount> cacheMounts, List<String> platforms) {
  public static final PipelineDefaults NONE = new PipelineDefaults(Optional.empty(), Map.of(),
      false, List.of(), List.of());

  public PipelineDefaults {
    buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
    cacheMounts = List.copyOf(cacheMounts);
    platforms = List.copyOf(platforms);
  }
}
