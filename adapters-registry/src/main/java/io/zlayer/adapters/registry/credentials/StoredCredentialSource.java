package io.zlayer.adapters.registry.credentials;

import io.zlayer.application.port.CredentialSource;
import io.zlayer.application.port.Credentials;
import io.zlayer.domain.error.RegistryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Logins stored by {@code docker login} and {@code podman}/{@code buildah login}, read where
 * those tools keep them. Files are asked in this order, and the first with a login for the
 * registry wins:
 *
 * <ol>
 *   <li>{@code $REGISTRY_AUTH_FILE}, when set (the user chose it explicitly);
 *   <li>Docker's {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}, with
 *       its {@code credHelpers}, {@code credsStore} and {@code auths};
 *   <li>{@code $XDG_RUNTIME_DIR/containers/auth.json};
 *   <li>{@code ~/.config/containers/auth.json}.
 * </ol>
 *
 * <p>Credential helpers ({@code docker-credential-<name>}) are looked up on the {@code PATH}
 * of the given environment. Missing files are skipped; a malformed one is an error (Docker
 * fails too). Nothing here caches: each call reads the files again.
 */
public final class StoredCredentialSource implements CredentialSource {
  private final Map<String, String> env;
  private final Path home;

  /** Reads the process environment and the user's home directory. */
  public StoredCredentialSource() {
    this(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** For tests and embedding: an explicit environment (incl. {@code PATH}) and home. */
  public StoredCredentialSource(Map<String, String> env, Path home) {
    this.env = Map.copyOf(Objects.requireNonNull(env));
    this.home = Objects.requireNonNull(home);
  }

  /** The files asked, in order (whether or not they exist). */
  public List<Path> files() {
    List<Path> out = new ArrayList<>();
    for (Source s : sources()) {
      out.add(s.path());
    }
    return out;
  }

  private record Source(Path path, boolean dockerStyle) {}

  private List<Source> sources() {
    List<Source> out = new ArrayList<>();
    String authFile = env.get("REGISTRY_AUTH_FILE");
    if (authFile != null && !authFile.isBlank()) {
      out.add(new Source(Path.of(authFile), false));
    }
    String dockerConfig = env.get("DOCKER_CONFIG");
    Path docker = dockerConfig != null && !dockerConfig.isBlank()
        ? Path.of(dockerConfig, "config.json") : home.resolve(".docker").resolve("config.json");
    out.add(new Source(docker, true));
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank()) {
      out.add(new Source(Path.of(runtime, "containers", "auth.json"), false));
    }
    out.add(new Source(home.resolve(".config").resolve("containers").resolve("auth.json"),
        false));
    return out;
  }

  @Override
  public Optional<Credentials> credentialsFor(String registry) throws RegistryException {
    String host = RegistryKeys.normalize(registry);
    for (Source s : sources()) {
      Optional<LoginFile> file = LoginFile.read(s.path(), s.dockerStyle());
      if (file.isPresent()) {
        Optional<Credentials> c = file.get().lookup(host, env);
        if (c.isPresent()) {
          return c;
        }
      }
    }
    return Optional.empty();
  }
}
