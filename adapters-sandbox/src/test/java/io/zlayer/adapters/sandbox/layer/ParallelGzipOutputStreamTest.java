package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {
  private static final int BLOCK = ParallelGzipOutputStream.BLOCK;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 13 * BLOCK + 17})
  void anyGzipReaderGetsTheInputBack(int size) throws IOException {
    for (byte[] input : new byte[][] {random(size, 1), text(size)}) {
      byte[] gz = gzip(input, 8192);
      assertArrayEquals(input, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
      assertArrayEquals(input,
          new GzipCompressorInputStream(new ByteArrayInputStream(gz)).readAllBytes());
    }
  }

  @Test
  void theGzipProgramAcceptsItAsOneMember(@TempDir Path dir) throws Exception {
    byte[] input = text(7 * BLOCK + 5);
    Path file = dir.resolve("layer.tar.gz");
    Files.write(file, gzip(input, 65536));
    Process p = new ProcessBuilder("gzip", "--test", "--verbose", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("OK"), out);
  }

  @Test
  void theBytesDependOnlyOnTheInputNotOnHowItIsWrittenOrScheduled() throws IOException {
    byte[] input = new byte[9 * BLOCK + 333];
    byte[] text = text(input.length);
    byte[] noise = random(input.length, 7);
    for (int i = 0; i < input.length; i++) {
      input[i] = (i / 5000) % 2 == 0 ? text[i] : noise[i]; // stretches of both kinds
    }
    byte[] reference = gzip(input, input.length);
    for (int chunk : new int[] {1, 511, 4096, BLOCK, BLOCK + 3}) {
      assertArrayEquals(reference, gzip(input, chunk), "written in chunks of " + chunk);
    }
  }

  @Test
  void theBytesAreTheSameWhateverTheNumberOfThreads() throws Exception {
    byte[] input = new byte[11 * BLOCK + 99];
    byte[] text = text(input.length);
    byte[] noise = random(input.length, 11);
    for (int i = 0; i < input.length; i++) {
      input[i] = (i / 7000) % 3 == 0 ? noise[i] : text[i];
    }
    byte[] shared = gzip(input, 65536);
    for (int threads : new int[] {1, 3, 8}) {
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        for (int inFlight : new int[] {1, 2, 2 * threads + 1}) {
          ByteArrayOutputStream sink = new ByteArrayOutputStream();
          try (OutputStream out = new ParallelGzipOutputStream(sink,
              Deflater.DEFAULT_COMPRESSION, pool, inFlight)) {
            out.write(input);
          }
          assertArrayEquals(shared, sink.toByteArray(),
              threads + " threads, " + inFlight + " blocks in flight");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void compressesAlmostAsWellAsOneDeflateStream() throws IOException {
    byte[] input = text(20 * BLOCK);
    byte[] parallel = gzip(input, 65536);
    ByteArrayOutputStream serial = new ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(serial)) {
      gz.write(input);
    }
    assertTrue(parallel.length < serial.size() * 1.005, parallel.length + " vs " + serial.size());
    assertTrue(parallel.length < input.length / 4); // the dictionary carries over
  }

  @Test
  void theHeaderIsFixedAndTheSinkStaysOpen() throws IOException {
    OpenSink sink = new OpenSink();
    try (OutputStream out = new ParallelGzipOutputStream(sink, Deflater.DEFAULT_COMPRESSION)) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    byte[] gz = sink.toByteArray();
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff},
        Arrays.copyOf(gz, 10));
    assertFalse(sink.closed);
    assertTrue(sink.flushed);
  }

  @Test
  void anInterruptedWriterStopsWithAnInterruptedIoException() {
    OutputStream out = new ParallelGzipOutputStream(OutputStream.nullOutputStream(),
        Deflater.DEFAULT_COMPRESSION);
    byte[] block = random(BLOCK, 3);
    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedIOException.class, () -> {
        for (int i = 0; i < 50; i++) {
          out.write(block);
        }
      });
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void writingAfterCloseFails() throws IOException {
    OutputStream out = new ParallelGzipOutputStream(new ByteArrayOutputStream(),
        Deflater.DEFAULT_COMPRESSION);
    out.close();
    out.close(); // idempotent
    assertThrows(IOException.class, () -> out.write(1));
  }

  private static byte[] gzip(byte[] input, int chunk) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = new ParallelGzipOutputStream(sink, Deflater.DEFAULT_COMPRESSION)) {
      for (int off = 0; off < input.length; off += chunk) {
        out.write(input, off, Math.min(chunk, input.length - off));
      }
    }
    return sink.toByteArray();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] text(int size) {
    StringBuilder s = new StringBuilder();
    Random r = new Random(size);
    String[] words = {"layer ", "image ", "digest ", "build ", "stage ", "cache ", "\n"};
    while (s.length() < size) {
      s.append(words[r.nextInt(words.length)]);
    }
    return Arrays.copyOf(s.toString().getBytes(StandardCharsets.US_ASCII), size);
  }

  private static final class OpenSink extends ByteArrayOutputStream {
    boolean closed;
    boolean flushed;

    @Override
    public void flush() {
      flushed = true;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
