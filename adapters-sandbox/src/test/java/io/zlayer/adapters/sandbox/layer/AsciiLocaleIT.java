package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a JVM started with {@code LC_ALL=C} the JDK cannot name non-ASCII files; unpacking must
 * then fail with one line that says what to do, not with a stack of InvalidPathException.
 */
class AsciiLocaleIT {
  @TempDir
  Path tmp;

  @Test
  void nonAsciiNamesNeedAUtf8Locale() throws Exception {
    Path blob = tmp.resolve("layer.tar");
    Files.write(blob, new RawTar().file("café", "x").bytes());
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), UnpackProbe.class.getName(),
        blob.toString(), dir.toString()).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C");
    pb.environment().remove("LANG");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertNotEquals(0, p.exitValue(), output);
    // the probe prints in the C locale too, so the é of the name shows as '?'
    assertTrue(output.contains("layer probe: entry \"caf"), output);
    assertTrue(output.contains("\" cannot be named here: the JVM does not run in a UTF-8 locale"
        + " (set LANG=C.UTF-8)"), output);
  }
}
