package io.zlayer.adapters.sandbox.run;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A {@code RUN --mount} as the sandbox sees it: the caller has already turned the Dockerfile
 * option into a host source. No mount ever lands in the step's change set: the sandbox removes
 * the mount points it had to create (see {@link RunSandbox}).
 */
public sealed interface RunMount {
  /** The absolute path inside the image; symlinks in it are resolved inside the image. */
  String target();

  /**
   * {@code type=bind}: a host directory or file. Read-only by default; with {@code readOnly=false}
   * the step may write, but, as in BuildKit, what it writes is thrown away when the step ends (a
   * directory gets a throwaway overlay, a file a throwaway copy); the host source never changes.
   */
  record Bind(Path hostPath, String target, boolean readOnly) implements RunMount {
    public Bind {
      requireAbsolute(hostPath, target);
    }
  }

  /** {@code type=tmpfs}: an empty tmpfs; {@code mode} defaults to 01777 in BuildKit. */
  record Tmpfs(String target, OptionalLong sizeBytes, int mode) implements RunMount {
    public Tmpfs {
      requireAbsolute(Path.of("/"), target);
      requireMode(mode);
      if (sizeBytes.isPresent() && sizeBytes.getAsLong() <= 0) {
        throw new IllegalArgumentException("tmpfs size must be positive: " + sizeBytes);
      }
    }
  }

  /**
   * {@code type=cache}: a persistent directory the caller owns (and locks for {@code
   * sharing=locked}). The step writes to it directly. {@code uid}, {@code gid} and {@code mode}
   * apply to the cache's root when it is still empty, as BuildKit creates a new cache from a
   * directory with those attributes.
   */
  record Cache(Path hostDir, String target, int uid, int gid, int mode) implements RunMount {
    public Cache {
      requireAbsolute(hostDir, target);
      requireMode(mode);
      requireIds(uid, gid);
    }
  }

  /**
   * {@code type=secret}: the file is copied into a tmpfs that exists only inside the step's mount
   * namespace, owned by {@code uid:gid} with {@code mode}, and bound read-only at the target
   * (BuildKit's default target is {@code /run/secrets/<id>}, mode 0400). Secrets that go to
   * environment variables are plain {@link RunSpec#env()} entries.
   */
  record Secret(Path hostFile, String target, int uid, int gid, int mode) implements RunMount {
    public Secret {
      requireAbsolute(hostFile, target);
      requireMode(mode);
      requireIds(uid, gid);
    }
  }

  /** {@code type=ssh}: the agent socket, bound at the target (the caller sets SSH_AUTH_SOCK). */
  record Ssh(Path agentSocket, String target) implements RunMount {
    public Ssh {
      requireAbsolute(agentSocket, target);
    }
  }

  private static void requireAbsolute(Path host, String target) {
    if (!host.isAbsolute()) {
      throw new IllegalArgumentException("mount source must be absolute: " + host);
    }
    if (!target.startsWith("/") || target.chars().anyMatch(c -> c == 0 || c == '\n')) {
      throw new IllegalArgumentException("mount target must be an absolute path: " + target);
    }
  }

  private static void requireMode(int mode) {
    if (mode < 0 || mode > 07777) {
      throw new IllegalArgumentException("invalid mode " + Integer.toOctalString(mode));
    }
  }

  private static void requireIds(int uid, int gid) {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative uid or gid: " + uid + ":" + gid);
    }
  }
}
