package io.zlayer.adapters.registry;

import io.zlayer.domain.error.RegistryException;
import java.net.URI;
import java.util.Locale;

/**
 * What one registry session may do on the wire. Plain HTTP goes to loopback hosts, to hosts
 * listed as insecure, and (for token services and storage redirects) to any host when the
 * registry itself is loopback or insecure. TLS certificates are not verified for loopback and
 * insecure hosts.
 *
 * @param registry the registry as the user named it ({@code host[:port]}), for messages
 * @param apiHost where its API lives ({@code registry-1.docker.io} for {@code docker.io})
 */
record HostPolicy(String registry, String apiHost, boolean loopback, boolean insecure,
    InsecureHosts insecureHosts) {

  /** Whether the registry may be reached over plain HTTP at all. */
  boolean registryAllowsPlainHttp() {
    return loopback || insecure;
  }

  boolean allowsPlainHttp(URI target) {
    String host = hostPort(target);
    return registryAllowsPlainHttp() || InsecureHosts.isLoopback(InsecureHosts.hostOf(host))
        || insecureHosts.contains(host);
  }

  boolean verifiesTls(URI target) {
    String host = hostPort(target);
    if (host.equalsIgnoreCase(apiHost) || host.equalsIgnoreCase(apiHost + ":443")) {
      return !registryAllowsPlainHttp();
    }
    return !(InsecureHosts.isLoopback(InsecureHosts.hostOf(host)) || insecureHosts.contains(host));
  }

  /** Fails unless {@code target} is HTTPS or plain HTTP is allowed for it. */
  void checkScheme(URI target, String purpose) throws RegistryException {
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && allowsPlainHttp(target)) {
      return;
    }
    String host = hostPort(target);
    if (!scheme.equals("http")) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL,
          "registry " + registry + " sent an unusable URL (scheme \"" + scheme + "\") for "
              + purpose);
    }
    throw new RegistryException(RegistryException.Kind.INSECURE_REFUSED,
        "refusing plain HTTP to " + host + " for " + purpose + ": " + registry
            + " is not an insecure registry",
        "to allow it, pass --insecure-registry " + registry
            + " or mark it insecure in registries.conf", null);
  }

  static String hostPort(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return uri.getPort() >= 0 ? host + ":" + uri.getPort() : host;
  }

  /** Scheme and authority equal: the request may carry the registry's Authorization. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null && b.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && effectivePort(a) == effectivePort(b);
  }

  private static int effectivePort(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
