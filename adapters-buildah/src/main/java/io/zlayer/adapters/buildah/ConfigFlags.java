package io.zlayer.adapters.buildah;

import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code buildah config} flags that turn one container config into another, for the fields
 * buildah 1.28's CLI stores faithfully: environment, labels, ports, volumes, working directory,
 * user, entrypoint, cmd, stop signal and author.
 *
 * <p>Left out on purpose, because buildah's CLI cannot express them exactly: SHELL and
 * HEALTHCHECK (buildah splits their values on spaces, adds default intervals to {@code NONE}, and
 * drops both from OCI-format images), ONBUILD (Docker format only, cannot be cleared), {@code
 * ArgsEscaped}, and "unset" for ENTRYPOINT/CMD (buildah stores an empty list). The image config
 * zlayer writes comes from {@code StageEvaluator} in any case; these flags keep buildah's working
 * containers in step with it.
 */
final class ConfigFlags {
  private ConfigFlags() {}

  static List<String> between(ContainerConfig from, Optional<String> fromAuthor,
      ContainerConfig to, Optional<String> toAuthor) {
    List<String> flags = new ArrayList<>();
    Map<String, String> before = envMap(from.env());
    Map<String, String> after = envMap(to.env());
    after.forEach((k, v) -> {
      if (!Objects.equals(before.get(k), v)) {
        flags.add("--env");
        flags.add(k + "=" + escapeDollars(v));
      }
    });
    before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> {
      flags.add("--env");
      flags.add(k + "-");
    });
    to.labels().forEach((k, v) -> {
      if (!Objects.equals(from.labels().get(k), v)) {
        flags.add("--label");
        flags.add(k + "=" + v);
      }
    });
    from.labels().keySet().stream().filter(k -> !to.labels().containsKey(k)).forEach(k -> {
      flags.add("--label");
      flags.add(k + "-");
    });
    setDiff(flags, "--port", from.exposedPorts(), to.exposedPorts());
    setDiff(flags, "--volume", from.volumes(), to.volumes());
    if (!from.workingDir().equals(to.workingDir())) {
      flags.add("--workingdir");
      flags.add(to.workingDir().orElse(""));
    }
    if (!from.user().equals(to.user())) {
      flags.add("--user");
      flags.add(to.user().orElse(""));
    }
    if (!from.entrypoint().equals(to.entrypoint())) {
      flags.add("--entrypoint");
      flags.add(to.entrypoint().map(ConfigFlags::jsonArray).orElse(""));
    }
    if (!from.cmd().equals(to.cmd())) {
      flags.add("--cmd");
      flags.add(to.cmd().map(ConfigFlags::jsonArray).orElse(""));
    }
    if (!from.stopSignal().equals(to.stopSignal()) && to.stopSignal().isPresent()) {
      flags.add("--stop-signal");
      flags.add(to.stopSignal().get());
    }
    if (!fromAuthor.equals(toAuthor) && toAuthor.isPresent()) {
      flags.add("--author");
      flags.add(toAuthor.get());
    }
    return flags;
  }

  private static void setDiff(List<String> flags, String flag, java.util.Set<String> from,
      java.util.Set<String> to) {
    for (String v : to) {
      if (!from.contains(v)) {
        flags.add(flag);
        flags.add(v);
      }
    }
    for (String v : from) {
      if (!to.contains(v)) {
        flags.add(flag);
        flags.add(v + "-");
      }
    }
  }

  /** buildah runs {@code os.Expand} over {@code --env} values, where {@code $$} is a {@code $}. */
  static String escapeDollars(String value) {
    return value.replace("$", "$$");
  }

  static String jsonArray(List<String> values) {
    List<JsonValue> items = new ArrayList<>();
    values.forEach(v -> items.add(new JsonValue.JsonString(v)));
    return Json.write(new JsonValue.JsonArray(items));
  }

  private static Map<String, String> envMap(List<String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String e : env) {
      int eq = e.indexOf('=');
      out.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    return out;
  }
}
