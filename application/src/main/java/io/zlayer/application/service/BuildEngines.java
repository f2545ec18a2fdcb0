package io.zlayer.application.service;

import io.zlayer.application.port.BuildEngine;
import io.zlayer.application.port.EngineAvailability;
import io.zlayer.domain.error.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The build engines there are, and which one a build uses: the one named by {@code --backend}
 * (or {@code ZLAYER_BACKEND}), or with {@code auto} buildah when a usable one is installed,
 * else the sandbox, else (for hosts with engines of their own) the first usable engine.
 */
public final class BuildEngines {
  private final Map<String, BuildEngine> byName = new LinkedHashMap<>();

  public BuildEngines(List<BuildEngine> engines) {
    for (BuildEngine e : engines) {
      byName.put(e.name(), e);
    }
  }

  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  public BuildEngine select(String backend) throws UsageException {
    String wanted = backend == null || backend.isBlank() ? "auto" : backend.trim();
    if (wanted.equals("auto")) {
      BuildEngine buildah = byName.get("buildah");
      if (buildah != null && isUsable(buildah)) {
        return buildah;
      }
      BuildEngine sandbox = byName.get("sandbox");
      if (sandbox != null) {
        return usable(sandbox);
      }
      // A host that embeds zlayer may bring only engines of its own.
      for (BuildEngine engine : byName.values()) {
        if (isUsable(engine)) {
          return engine;
        }
      }
      throw new UsageException("no build engine is available",
          byName.isEmpty() ? null : "none of these can run here: "
              + String.join(", ", byName.keySet()));
    }
    BuildEngine engine = byName.get(wanted);
    if (engine == null) {
      throw new UsageException("unknown backend \"" + wanted + "\"",
          "use one of: auto, " + String.join(", ", byName.keySet()));
    }
    return usable(engine);
  }

  private static boolean isUsable(BuildEngine engine) {
    return engine.knownUsable() || engine.availability().usable();
  }

  private static BuildEngine usable(BuildEngine engine) throws UsageException {
    if (engine.knownUsable()) {
      return engine;
    }
    EngineAvailability a = engine.availability();
    if (!a.usable()) {
      throw new UsageException("the " + engine.name() + " backend cannot run here: " + a.detail(),
          a.installHint().orElse(null));
    }
    return engine;
  }
}
