package io.zlayer.application.port;

import io.zlayer.domain.error.RegistryException;
import java.util.Optional;

/** Where logins for registries come from (docker config, credential helpers, auth.json). */
public interface CredentialSource {
  /** The login for a registry host as the user wrote it ("docker.io", "localhost:5000"). */
  Optional<Credentials> credentialsFor(String registry) throws RegistryException;
}
