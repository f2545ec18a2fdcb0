package io.zlayer.bootstrap;

import io.zlayer.application.Zlayer;
import java.nio.file.Path;
import java.util.Map;

/**
 * zlayer for embedding hosts, wired with the real adapters exactly as the {@code zlayer}
 * command is: the OCI-layout store under {@code $ZLAYER_HOME} (else {@code ~/.zlayer}), the
 * sandbox and buildah engines, the HTTP registry client with Docker's and containers' stored
 * logins and {@code registries.conf}, and tar image archives.
 */
public final class DefaultZlayer {
  private DefaultZlayer() {}

  /**
   * @param env the variables zlayer reads, as the CLI reads them from its process
   *     ({@code ZLAYER_HOME}, {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE}, {@code PATH},
   *     {@code ZLAYER_BUILDAH}, ...)
   * @param userHome the home directory the defaults are relative to
   */
  public static Zlayer create(Map<String, String> env, Path userHome) {
    return DaggerZlayerComponent.factory().create(new Settings(env, userHome, false)).zlayer();
  }

  /** With this process's environment and the {@code user.home} directory. */
  public static Zlayer create() {
    return create(System.getenv(), Path.of(System.getProperty("user.home")));
  }
}
