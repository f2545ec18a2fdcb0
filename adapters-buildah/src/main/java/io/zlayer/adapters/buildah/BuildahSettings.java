package io.zlayer.adapters.buildah;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where buildah and the backend's files are.
 *
 * @param binary the buildah program given with {@code ZLAYER_BUILDAH}, else buildah is looked up
 *     on {@code PATH}
 * @param searchPath the {@code PATH} to look it up on
 * @param environment variables for every buildah process on top of zlayer's own environment
 *     (tests set {@code STORAGE_DRIVER} and {@code CONTAINERS_STORAGE_CONF}); buildah otherwise
 *     follows the user's containers-storage configuration
 * @param workRoot where a build's temporary files go (OCI layouts handed to buildah, heredoc
 *     files, secrets); its path must be a valid image name when prefixed with {@code localhost},
 *     because buildah names images it reads from an OCI layout after the layout's directory
 * @param cacheRoot where {@code RUN --mount=type=cache} directories persist between builds
 * @param root whether zlayer runs as root (the default isolation is {@code chroot} for root,
 *     {@code rootless} otherwise)
 */
public record BuildahSettings(Optional<Path> binary, String searchPath,
    Map<String, String> environment, Path workRoot, Path cacheRoot, boolean root) {

  public BuildahSettings {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(searchPath, "searchPath");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(workRoot, "workRoot");
    Objects.requireNonNull(cacheRoot, "cacheRoot");
  }

  /**
   * The settings for a zlayer process: {@code ZLAYER_BUILDAH}, {@code PATH}, the cache under
   * {@code $ZLAYER_HOME} (else {@code ~/.zlayer}) and temporary files under {@code
   * java.io.tmpdir} (or {@code /var/tmp} when that path cannot name an image).
   */
  public static BuildahSettings fromEnvironment(Map<String, String> env, String userHome,
      String userName) {
    Optional<Path> binary = Optional.ofNullable(env.get("ZLAYER_BUILDAH"))
        .filter(s -> !s.isBlank()).map(Path::of);
    String home = env.get("ZLAYER_HOME");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(userHome, ".zlayer");
    Path tmp = Path.of(System.getProperty("java.io.tmpdir", "/tmp")).toAbsolutePath();
    Path work = LayoutNames.isUsable(tmp) ? tmp : Path.of("/var/tmp");
    return new BuildahSettings(binary, env.getOrDefault("PATH", "/usr/bin:/bin"), Map.of(),
        work.resolve("zlayer-buildah"), base.resolve("cache").resolve("buildah"),
        "root".equals(userName));
  }

  public BuildahSettings withEnvironment(Map<String, String> env) {
    return new BuildahSettings(binary, searchPath, env, workRoot, cacheRoot, root);
  }

  public BuildahSettings withWorkRoot(Path dir) {
    return new BuildahSettings(binary, searchPath, environment, dir, cacheRoot, root);
  }

  public BuildahSettings withCacheRoot(Path dir) {
    return new BuildahSettings(binary, searchPath, environment, workRoot, dir, root);
  }

  /** The default {@code --isolation}: chroot works for root even without cgroups. */
  public String defaultIsolation() {
    return root ? "chroot" : "rootless";
  }
}
