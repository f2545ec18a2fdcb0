package io.zlayer.adapters.registry.credentials;

import java.util.Locale;
import java.util.Set;

/**
 * How login files name registries. Docker writes Docker Hub as {@code https://index.docker.io/v1/}
 * and other registries as {@code host[:port]}; older files carry a scheme or a path. All of them
 * compare by host, with Docker Hub's names folded into {@code docker.io}.
 */
final class RegistryKeys {
  private RegistryKeys() {}

  static final String DOCKER_HUB = "docker.io";
  /** The key {@code docker login} uses for Docker Hub, also what helpers are asked for. */
  static final String DOCKER_HUB_LEGACY = "https://index.docker.io/v1/";

  private static final Set<String> HUB_NAMES =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  /** {@code host[:port]} of a key: scheme and path dropped, lower case, Hub names folded. */
  static String normalize(String key) {
    String k = stripScheme(key.trim());
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    k = k.toLowerCase(Locale.ROOT);
    return HUB_NAMES.contains(k) ? DOCKER_HUB : k;
  }

  static boolean hasScheme(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    return k.startsWith("http://") || k.startsWith("https://");
  }

  /** A containers-style key for one namespace ({@code quay.io/team}), not a whole registry. */
  static boolean isNamespaced(String key) {
    return !hasScheme(key) && key.trim().contains("/");
  }

  /** The server URL to ask a credential helper for, when no file names the registry. */
  static String helperServerUrl(String normalizedHost) {
    return normalizedHost.equals(DOCKER_HUB) ? DOCKER_HUB_LEGACY : normalizedHost;
  }

  private static String stripScheme(String k) {
    String lower = k.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://")) {
      return k.substring(8);
    }
    if (lower.startsWith("http://")) {
      return k.substring(7);
    }
    return k;
  }
}
