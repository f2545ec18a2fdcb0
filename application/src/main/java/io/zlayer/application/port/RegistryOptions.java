package io.zlayer.application.port;

import java.util.Optional;
import java.util.Set;

/**
 * How to reach registries for one operation.
 *
 * @param credentials a login given on the command line ({@code --creds}); overrides stored ones
 * @param insecureRegistries hosts ({@code host[:port]}) that may be reached over plain HTTP and
 *     with unverified TLS; loopback hosts are always allowed plain HTTP
 */
public record RegistryOptions(Optional<Credentials> credentials, Set<String> insecureRegistries) {
  public static final RegistryOptions DEFAULT = new RegistryOptions(Optional.empty(), Set.of());

  public RegistryOptions {
    insecureRegistries = Set.copyOf(insecureRegistries);
  }
}
