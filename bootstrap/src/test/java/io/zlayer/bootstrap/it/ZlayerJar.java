package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real zlayer jar as a user would ({@code java -jar bootstrap-…-all.jar ARGS}) with its
 * own ZLAYER_HOME, and captures its exit status and output.
 */
final class ZlayerJar {
  private final Path home;
  private final Map<String, String> env = new HashMap<>();

  ZlayerJar(Path home) {
    this.home = home;
  }

  static Path jar() {
    String path = System.getProperty("fatJar");
    assertTrue(path != null && Files.isRegularFile(Path.of(path)),
        "the fat jar is built in the package phase: " + path);
    return Path.of(path);
  }

  Path home() {
    return home;
  }

  ZlayerJar env(String key, String value) {
    env.put(key, value);
    return this;
  }

  ProcessBuilder command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ZLAYER_HOME", home.toString());
    pb.environment().put("LC_ALL", "C.UTF-8");
    pb.environment().remove("ZLAYER_BACKEND");
    pb.environment().remove("ZLAYER_PROGRESS");
    pb.environment().putAll(env);
    return pb;
  }

  Result run(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("zlayer-out", ".txt");
    Path err = Files.createTempFile("zlayer-err", ".txt");
    try {
      Process p = command(args).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("zlayer " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A finished run. */
  record Result(int exitCode, String out, String err) {
    Result ok() {
      if (exitCode != 0) {
        throw new AssertionError("exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }

    /** Exit 1 with one error line (plus an optional hint line) and no stack trace. */
    Result userError() {
      if (exitCode != 1) {
        throw new AssertionError("expected exit 1, got " + exitCode + "\nstdout:\n" + out
            + "\nstderr:\n" + err);
      }
      List<String> lines = err.lines().filter(l -> l.startsWith("error:") || l.startsWith("hint:")
          || l.startsWith("\tat ") || l.contains("Exception")).toList();
      long errors = lines.stream().filter(l -> l.startsWith("error:")).count();
      if (errors != 1 || lines.stream().anyMatch(l -> l.startsWith("\tat ")
          || l.contains("Exception"))) {
        throw new AssertionError("expected exactly one error line and no stack trace:\n" + err);
      }
      return this;
    }

    String errorLine() {
      return err.lines().filter(l -> l.startsWith("error:")).findFirst().orElse("");
    }
  }
}
