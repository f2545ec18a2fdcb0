package io.zlayer.application.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards for tests that need a real program (buildah, docker-registry, bwrap, skopeo, umoci).
 * Outside CI a missing program skips the test with a message; with {@code CI=true} it fails,
 * so a CI run never passes by silently skipping the real-part tests.
 */
public final class RealParts {
  private RealParts() {}

  public static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Returns the program's path, or aborts/fails the test when it is not installed. */
  public static Path require(String program) {
    Path found = find(program);
    if (found == null) {
      String message = program + " is not installed (the ./test script installs it)";
      if (onCi()) {
        Assertions.fail(message + "; CI=true, so this is a failure, not a skip");
      }
      Assumptions.abort(message + "; skipping");
    }
    return found;
  }

  /** Requires root (buildah with vfs and chroot isolation, overlay mounts). */
  public static void requireRoot() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root) {
      if (onCi()) {
        Assertions.fail("this test needs root; CI=true, so this is a failure, not a skip");
      }
      Assumptions.abort("this test needs root; skipping");
    }
  }

  public static Path find(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin:/usr/local/bin").split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** The shared conformance data folder, or aborts/fails when it is missing. */
  public static Path conformanceDir() {
    String shared = System.getenv("ZLAYER_SHARED_DIR");
    Path dir = shared == null ? null : Path.of(shared, "conformance");
    if (dir == null || !Files.isDirectory(dir)) {
      String message = "conformance data not found at " + dir
          + " (expected ../shared/conformance beside the repository)";
      if (onCi()) {
        Assertions.fail(message + "; CI=true, so this is a failure, not a skip");
      }
      Assumptions.abort(message + "; skipping");
    }
    return dir;
  }

  /** Runs a command to completion (bounded), returning its combined output; fails on error. */
  public static String run(Path workDir, String... command) throws IOException,
      InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      Assertions.fail("timed out: " + String.join(" ", command));
    }
    String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      Assertions.fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
    }
    return text;
  }
}
