package io.zlayer.bootstrap.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real buildah with vfs storage in a private graph root (given to buildah and to the zlayer
 * jar through {@link #environment()}), so tests never touch the machine's images or caches; {@link
 * #removeEverything()} deletes its containers, images and the storage itself (vfs keeps a full
 * copy of every layer).
 */
final class PrivateBuildah {
  private final Path buildah;
  private final Path root;
  private final Map<String, String> environment;

  PrivateBuildah(Path buildah, Path root) throws IOException, InterruptedException {
    this.buildah = buildah;
    this.root = root;
    Path conf = root.resolve("storage.conf");
    // TMPDIR: buildah keeps RUN --mount=type=cache directories in $TMPDIR/buildah-cache
    // (default /var/tmp), which would carry one run's cache into the next
    this.environment = Map.of("STORAGE_DRIVER", "vfs", "CONTAINERS_STORAGE_CONF",
        conf.toString(), "TMPDIR", root.resolve("tmp").toString());
    if (Files.exists(conf)) {
      try {
        removeEverything();
      } catch (IOException leftOfAnAbortedRun) {
        // the storage directories are deleted all the same
      }
    }
    Files.createDirectories(root.resolve("tmp"));
    Files.writeString(conf, "[storage]\ndriver = \"vfs\"\nrunroot = \"" + root.resolve("run")
        + "\"\ngraphroot = \"" + root.resolve("graph") + "\"\n", StandardCharsets.UTF_8);
  }

  Map<String, String> environment() {
    return environment;
  }

  /** Runs buildah; returns stdout, or fails with its stderr on a non-zero exit. */
  String run(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(buildah.toString());
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(environment);
    Path out = Files.createTempFile(root, "buildah", ".out");
    Path err = Files.createTempFile(root, "buildah", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException("buildah " + String.join(" ", args) + " did not end in 10 min");
      }
      if (p.exitValue() != 0) {
        throw new IOException("buildah " + String.join(" ", args) + " failed (exit "
            + p.exitValue() + "):\n" + Files.readString(err) + Files.readString(out));
      }
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The working containers buildah has, by name. */
  List<String> containers() throws IOException, InterruptedException {
    return run("containers", "--all", "--noheading", "--format", "{{.ContainerName}}")
        .lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  void removeEverything() throws IOException, InterruptedException {
    IOException first = null;
    for (String[] cmd : List.of(new String[] {"rm", "--all"},
        new String[] {"rmi", "--all", "--force"})) {
      try {
        run(cmd);
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    // as root, vfs layers hold files of any owner and mode: rm copes with all of them
    for (String dir : List.of("graph", "run", "tmp")) {
      Process p = new ProcessBuilder("rm", "-rf", "--one-file-system",
          root.resolve(dir).toString()).inheritIO().start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("could not delete " + root.resolve(dir));
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
