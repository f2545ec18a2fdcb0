package io.zlayer.domain.zimage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One build step of a stage: exactly one of run, copy, add, env, workdir, user. */
public sealed interface ZStep {
  /** {@code run}: Dockerfile's RUN, with optional cache mounts. */
  record Run(ZCommand command, List<CacheMount> cache) implements ZStep {
    public Run {
      cache = List.copyOf(cache);
    }
  }

  /**
   * {@code copy} + {@code to}: Dockerfile's COPY. With {@code from} naming a stage of the same
   * file, relative sources are taken from that stage's working directory (as zlayer's ZImagefile
   * has always done), not from its root.
   */
  record Copy(List<String> sources, String destination, Optional<String> from,
      Optional<String> owner, Optional<String> chmod) implements ZStep {
    public Copy {
      sources = List.copyOf(sources);
    }
  }

  /** {@code add} + {@code to}: Dockerfile's ADD (URLs, archives unpacked). */
  record Add(List<String> sources, String destination, Optional<String> owner,
      Optional<String> chmod) implements ZStep {
    public Add {
      sources = List.copyOf(sources);
    }
  }

  /** {@code env}: Dockerfile's ENV, one variable after another. */
  record Env(Map<String, String> variables) implements ZStep {
    public Env {
      variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
    }
  }

  record Workdir(String path) implements ZStep {}

  record User(String user) implements ZStep {}
}
