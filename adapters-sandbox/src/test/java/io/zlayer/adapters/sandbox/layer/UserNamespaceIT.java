package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacking as root of a user namespace (rootless zlayer): whiteouts are still made, real device
 * nodes are skipped with a warning, and owners outside the namespace are reported, not fatal.
 */
class UserNamespaceIT {
  @TempDir
  Path tmp;

  @Test
  void unpacksAsRootOfAUserNamespace() throws Exception {
    RealParts.requireRoot();
    Path unshare = RealParts.require("unshare");
    // etc/ok belongs to uid 1000, which the namespace (only root mapped) does not know
    byte[] owned = new RawTar().dir("etc/").file("etc/.wh.gone", "").owned(1000, 1000)
        .file("etc/ok", "ok").device("dev/null", '3', 1, 3).bytes();
    Path blob = tmp.resolve("layer.tar");
    Files.write(blob, owned);
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(unshare.toString(), "--user", "--map-root-user", "--mount",
        java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), UnpackProbe.class.getName(), blob.toString(),
        dir.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), output);
    List<String> lines = output.lines().toList();
    assertTrue(lines.contains("RESULT " + Digest.sha256(owned)), output);
    assertTrue(lines.stream().anyMatch(l -> l.contains("device nodes skipped")), output);
    assertTrue(lines.stream().anyMatch(l -> l.contains("is not mapped in this user namespace")),
        output);
    assertTrue(FileMetadata.read(dir.resolve("etc/gone")).isWhiteout());
    assertEquals("ok", Files.readString(dir.resolve("etc/ok")));
    assertFalse(Files.exists(dir.resolve("dev/null")));
  }
}
