package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.parser.GoQuote;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a step's result depends on, for engines to hash into a cache key together with the key
 * of the step before it (and, for steps that read another stage or image, that source's
 * identity; for COPY/ADD from the context, the content of the files).
 *
 * <p>Metadata-only steps change no files: an engine that chains keys over layer-producing steps
 * only (as BuildKit does) keeps the cache of later steps when an unrelated ARG value changes.
 *
 * @param instruction a canonical description of the expanded step: for RUN the argv, the
 *     environment, working directory, user, network, security mode and mounts; for COPY/ADD the
 *     sources, destination and options
 * @param args the build arguments the step used, by name: for RUN every ARG in scope (all are in
 *     its environment); otherwise the ARGs its expansion referred to. An empty value is an ARG
 *     without value.
 */
public record CacheFacts(String instruction, SortedMap<String, Optional<String>> args) {

  public CacheFacts {
    Objects.requireNonNull(instruction, "instruction");
    args = Collections.unmodifiableSortedMap(new TreeMap<>(args));
  }

  /** One string holding everything above, stable across runs and JVMs. */
  public String key() {
    StringBuilder sb = new StringBuilder(instruction);
    for (Map.Entry<String, Optional<String>> e : args.entrySet()) {
      sb.append("\narg ").append(GoQuote.quote(e.getKey()));
      e.getValue().ifPresent(v -> sb.append('=').append(GoQuote.quote(v)));
    }
    return sb.toString();
  }
}
