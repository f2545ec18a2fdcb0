package io.zlayer.bootstrap;

import io.zlayer.adapters.registry.RegistriesConf;
import io.zlayer.application.port.Registry;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.ImageReference;
import java.util.HashSet;
import java.util.Set;

/**
 * Adds the registries marked {@code insecure = true} in containers' registries.conf to every
 * request's insecure set, as podman and buildah do. The file is read on first use, so a broken
 * file only matters to commands that talk to registries.
 */
final class RegistriesConfDefaults implements Registry {
  private final Registry delegate;
  private final Settings settings;
  private volatile Set<String> fromConf;

  RegistriesConfDefaults(Registry delegate, Settings settings) {
    this.delegate = delegate;
    this.settings = settings;
  }

  @Override
  public RegistryRepository repository(ImageReference repository, RegistryOptions options,
      boolean push) throws RegistryException {
    Set<String> insecure = new HashSet<>(options.insecureRegistries());
    insecure.addAll(confInsecure());
    return delegate.repository(repository,
        new RegistryOptions(options.credentials(), insecure), push);
  }

  private Set<String> confInsecure() throws RegistryException {
    Set<String> hosts = fromConf;
    if (hosts == null) {
      try {
        hosts = RegistriesConf.load(settings.env(), settings.userHome(),
            java.nio.file.Path.of("/etc/containers")).insecureRegistries();
      } catch (UsageException e) {
        throw new RegistryException(RegistryException.Kind.PROTOCOL, e.getMessage());
      }
      fromConf = hosts;
    }
    return hosts;
  }
}
