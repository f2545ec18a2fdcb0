package io.zlayer.bootstrap.it;

import io.zlayer.application.testing.RealParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private containers-storage for buildah (vfs driver, graph and run roots in a test
 * directory), given to the zlayer jar and to the test's own buildah calls through
 * {@code CONTAINERS_STORAGE_CONF}, so the tests never touch the machine's images.
 */
final class BuildahStorage {
  private final Path root;
  private final Path conf;

  private BuildahStorage(Path root, Path conf) {
    this.root = root;
    this.conf = conf;
  }

  static BuildahStorage in(Path dir) throws IOException {
    RealParts.require("buildah");
    Path root = Files.createDirectories(dir.resolve("buildah-storage"));
    Path conf = root.resolve("storage.conf");
    Files.writeString(conf, "[storage]\ndriver = \"vfs\"\ngraphroot = \""
        + root.resolve("graph") + "\"\nrunroot = \"" + root.resolve("run") + "\"\n",
        StandardCharsets.UTF_8);
    return new BuildahStorage(root, conf);
  }

  Path root() {
    return root;
  }

  Map<String, String> environment() {
    return Map.of("CONTAINERS_STORAGE_CONF", conf.toString(), "STORAGE_DRIVER", "vfs");
  }

  /** A zlayer jar that builds with this storage. */
  ZlayerJar configure(ZlayerJar zlayer) {
    environment().forEach(zlayer::env);
    return zlayer;
  }

  /** Runs buildah on this storage; its stdout, or an AssertionError with its output. */
  String buildah(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(RealParts.require("buildah").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(environment());
    Path err = Files.createTempFile("buildah-err", ".txt");
    try {
      Process p = pb.redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("buildah " + String.join(" ", args) + " did not finish");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("buildah " + String.join(" ", args) + " exited "
            + p.exitValue() + ":\n" + out + Files.readString(err));
      }
      return out;
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
