package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.testing.LocalRegistry;
import io.zlayer.domain.image.Digest;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing (and pulling) a 1 GiB layer works in a JVM limited to 256 MiB of heap: blob bodies
 * are streamed, never held in memory. Both upload sources are tried: the file, and the stream
 * of a blob without a file.
 */
class LargeBlobPushIT {
  private static final long SIZE = 1L << 30;

  @TempDir
  Path tmp;

  @Test
  void oneGibibyteWithA256MebibyteHeap() throws Exception {
    try (LocalRegistry r = LocalRegistry.start(false)) {
      Path file = tmp.resolve("layer.bin");
      Digest digest = generate(file);
      run(r, "zlayer/big-file", file, digest, "file");
      run(r, "zlayer/big-stream", file, digest, "stream");
      for (String repo : List.of("zlayer/big-file", "zlayer/big-stream")) {
        RegistryRepository check = new HttpRegistry(Fixtures.none()).repository(
            Fixtures.ref(r.host(), repo), RegistryOptions.DEFAULT, false);
        assertTrue(check.hasBlob(digest), repo);
      }
      Files.delete(file);
    }
  }

  private void run(LocalRegistry r, String repo, Path file, Digest digest, String mode)
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m",
        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        LargeBlobPush.class.getName(), r.host(), repo, file.toString(), digest.toString(), mode));
    Path log = tmp.resolve(mode + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the push did not finish in 10 minutes");
    }
    String out = Files.readString(log);
    System.out.println(mode + ": " + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("pushed " + SIZE + " bytes"), out);
  }

  /** 1 GiB of pseudo-random bytes (incompressible, seeded), returning its digest. */
  private static Digest generate(Path file) throws Exception {
    MessageDigest sha = Digest.newSha256();
    SplittableRandom random = new SplittableRandom(20260301);
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < SIZE; written += buf.capacity()) {
        buf.clear();
        while (buf.hasRemaining()) {
          buf.putLong(random.nextLong());
        }
        out.write(buf.array());
        sha.update(buf.array());
      }
    }
    return Digest.ofSha256(sha.digest());
  }
}
