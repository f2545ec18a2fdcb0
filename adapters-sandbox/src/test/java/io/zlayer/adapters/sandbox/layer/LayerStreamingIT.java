package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.image.Digest;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MiB file goes through the writer and the unpacker in a JVM whose heap is 48 MiB: any
 * buffer of the file's size would fail with OutOfMemoryError.
 */
class LayerStreamingIT {
  private static final long SIZE = 200L * 1024 * 1024;

  @TempDir
  Path tmp;

  @Test
  void aLargeFileStreamsWithBoundedMemory() throws Exception {
    Path layer = Files.createDirectory(tmp.resolve("layer"));
    Path big = layer.resolve("big.bin");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(SIZE);
      byte[] marker = "data in a sparse file".getBytes(StandardCharsets.UTF_8);
      for (long at = 0; at < SIZE; at += 16L * 1024 * 1024) {
        f.seek(at);
        f.write(marker);
      }
    }
    Digest expected = expectedDiffId(layer);
    for (String compression : List.of("GZIP", "ZSTD", "NONE")) {
      Path blobFile = tmp.resolve("blob-" + compression);
      Path unpacked = Files.createDirectory(tmp.resolve("unpacked-" + compression));
      String output = runProbe(layer, compression, blobFile, unpacked);
      String result = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
          .orElseThrow(() -> new AssertionError("no result from the probe:\n" + output));
      String[] parts = result.substring("RESULT ".length()).split(" ");
      assertEquals(expected, Digest.parse(parts[0]), compression);
      assertEquals(parts[0], parts[3], "the unpacker's diff_id");
      assertEquals(parts[1], parts[4], "the unpacker's blob digest");
      assertEquals(Files.size(blobFile), Long.parseLong(parts[2]));
      assertEquals(SIZE, Files.size(unpacked.resolve("big.bin")));
      if (compression.equals("NONE")) {
        assertEquals(parts[0], parts[1]);
      } else {
        assertTrue(Long.parseLong(parts[2]) < SIZE / 10, "compressed: " + parts[2]);
      }
      Files.delete(unpacked.resolve("big.bin"));
      Files.delete(blobFile);
    }
  }

  private static String runProbe(Path layer, String compression, Path blobFile, Path unpacked)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx48m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), StreamingProbe.class.getName(),
        layer.toString(), compression, blobFile.toString(), unpacked.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe timed out");
    assertEquals(0, p.exitValue(), output);
    return output;
  }

  /** The diff_id computed independently: the in-process writer streaming into a digest. */
  private static Digest expectedDiffId(Path layer) throws Exception {
    MessageDigest sha = Digest.newSha256();
    try (java.io.OutputStream sink = new java.security.DigestOutputStream(
        java.io.OutputStream.nullOutputStream(), sha)) {
      new LayerTarWriter().write(layer, sink, LayerTarOptions.of(
          io.zlayer.domain.image.LayerCompression.NONE));
    }
    return new Digest("sha256", HexFormat.of().formatHex(sha.digest()));
  }
}
