package io.zlayer.domain.build;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The build arguments of one build: the {@code --build-arg} values and the automatic arguments
 * BuildKit defines ({@code BUILDPLATFORM}, {@code BUILDOS}, {@code BUILDOSVERSION}, {@code
 * BUILDARCH}, {@code BUILDVARIANT}, the same five with {@code TARGET}, and {@code TARGETSTAGE}),
 * a {@code --build-arg} of the same name already applied to them.
 *
 * @param values the {@code --build-arg} values, in the order given
 * @param automatic the automatic arguments, in BuildKit's order
 */
public record BuildArguments(Map<String, String> values, Map<String, String> automatic) {
  private static final List<String> PROXY_NAMES =
      List.of("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY");

  public BuildArguments {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    automatic = Collections.unmodifiableMap(new LinkedHashMap<>(automatic));
  }

  /** Whether {@code --build-arg name=…} was given. */
  public boolean isGiven(String name) {
    return values.containsKey(name);
  }

  /** The {@code --build-arg} value for {@code name}. */
  public Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** Whether {@code name} is one of the proxy arguments, in either case. */
  public static boolean isProxyName(String name) {
    return PROXY_NAMES.contains(name.toUpperCase(Locale.ROOT));
  }

  /**
   * The proxy variables every RUN gets without declaring them (BuildKit's {@code ProxyEnv}):
   * {@code HTTP_PROXY=v} and {@code http_proxy=v} for each proxy build arg, in the order
   * HTTP, HTTPS, FTP, NO, ALL. When a name is given in both cases the lower-case one wins, as
   * BuildKit reads the args in sorted order. They are not part of cache keys or history.
   */
  public List<String> proxyEnvironment() {
    Map<String, String> chosen = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
      String upper = e.getKey().toUpperCase(Locale.ROOT);
      if (PROXY_NAMES.contains(upper)) {
        chosen.put(upper, e.getValue());
      }
    }
    List<String> out = new ArrayList<>();
    for (String name : PROXY_NAMES) {
      String v = chosen.get(name);
      if (v != null && !v.isEmpty()) {
        out.add(name + "=" + v);
        out.add(name.toLowerCase(Locale.ROOT) + "=" + v);
      }
    }
    return List.copyOf(out);
  }
}
