package io.zlayer.application.port;

import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.ImageReference;

/** OCI distribution registries. */
public interface Registry {
  /**
   * A session with one repository (e.g. {@code localhost:5000/team/app}); tag and digest of the
   * reference are ignored. Authentication happens lazily on the first request.
   *
   * @param push whether the session needs push access (asks the token service for it)
   */
  RegistryRepository repository(ImageReference repository, RegistryOptions options, boolean push)
      throws RegistryException;
}
