package io.zlayer.adapters.cli;

import io.zlayer.application.port.Credentials;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.ImageReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The registry flags of {@code pull} and {@code push}, spelled as in buildah/podman
 * ({@code --creds}, {@code --tls-verify}) and Docker ({@code --insecure-registry}).
 */
final class RegistryFlags {
  @Option(names = "--creds", paramLabel = "USER:PASSWORD",
      description = "Log in with these credentials (instead of the stored login).")
  String creds;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Allow plain HTTP and unverified TLS for this registry (repeatable). "
          + "Registries on localhost, 127.0.0.1 and ::1 are always allowed plain HTTP.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--tls-verify", arity = "0..1", paramLabel = "BOOL", fallbackValue = "true",
      defaultValue = "true",
      description = "Require HTTPS with verified certificates (default true); "
          + "--tls-verify=false allows plain HTTP and unverified TLS for this registry.")
  boolean tlsVerify = true;

  /**
   * The options for an operation that talks to the registries of {@code contacted}; {@code
   * --tls-verify=false} marks those registries insecure.
   */
  RegistryOptions options(List<ImageReference> contacted) throws UsageException {
    Set<String> insecure = new LinkedHashSet<>();
    for (String host : insecureRegistries) {
      insecure.add(registryHost(host));
    }
    if (!tlsVerify) {
      if (contacted.isEmpty()) {
        throw new UsageException("--tls-verify=false needs to know the registry",
            "name the destination, or use --insecure-registry HOST[:PORT]");
      }
      contacted.forEach(ref -> insecure.add(ref.registry()));
    }
    Optional<Credentials> credentials = creds == null ? Optional.empty()
        : Optional.of(parseCredentials(creds));
    return new RegistryOptions(credentials, insecure);
  }

  /** {@code USER:PASSWORD}; the password may contain ':'. The value is never put in a message. */
  static Credentials parseCredentials(String value) throws UsageException {
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw new UsageException("--creds must be USERNAME:PASSWORD; the password is missing");
    }
    if (colon == 0) {
      throw new UsageException("--creds must be USERNAME:PASSWORD; the username is empty");
    }
    if (colon == value.length() - 1) {
      throw new UsageException("--creds must be USERNAME:PASSWORD; the password is empty");
    }
    return Credentials.basic(value.substring(0, colon), value.substring(colon + 1));
  }

  /** Checks a {@code --insecure-registry} value and returns it as references spell hosts. */
  static String registryHost(String host) throws UsageException {
    String h = host.trim();
    if (h.startsWith("http://") || h.startsWith("https://")) {
      throw new UsageException("--insecure-registry takes a host[:port], not a URL: " + h,
          "drop the scheme: --insecure-registry " + h.substring(h.indexOf("//") + 2));
    }
    if (h.isEmpty() || h.contains("/")) {
      throw new UsageException("--insecure-registry \"" + h + "\" is not a host[:port]");
    }
    try {
      ImageReference probe = ImageReference.parseRepository(h + "/probe");
      if (!probe.registry().equalsIgnoreCase(h) && !probe.registry().equals(
          ImageReference.DOCKER_HUB)) {
        throw new UsageException("--insecure-registry \"" + h + "\" is not a host[:port]");
      }
      if (probe.repository().startsWith(h.toLowerCase(java.util.Locale.ROOT) + "/")) {
        throw new UsageException("--insecure-registry \"" + h + "\" is not a registry host: a"
            + " name without a dot or port (other than localhost) means a Docker Hub path");
      }
      return probe.registry();
    } catch (InvalidReferenceException e) {
      throw new UsageException("--insecure-registry \"" + h + "\" is not a host[:port]");
    }
  }
}
