package io.zlayer.adapters.sandbox.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose input is compressed in blocks on several threads, the way pigz does it:
 * every block of {@value #BLOCK} bytes is deflated on its own, primed with the 32 KiB before it
 * as dictionary, and ends with a sync flush, so that the blocks, written in order, form one
 * ordinary deflate stream inside one gzip member. Any gzip reader reads it.
 *
 * <p>The output depends only on the input and the level, never on the number of threads or
 * their timing (layer digests must be reproducible). It does depend on zlib's version, like any
 * deflate output. The header is fixed (no name, mtime 0, XFL 0, OS 255), so that it does not
 * change with the JDK.
 *
 * <p>Memory stays bounded: at most {@code 2 × threads + 1} blocks are in flight. Compressed
 * blocks are written to the sink by the writing thread, in order. {@link #close()} ends the gzip
 * member and flushes the sink without closing it.
 */
final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK = 128 * 1024;
  private static final int WINDOW = 32 * 1024;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final ExecutorService WORKERS = Executors.newFixedThreadPool(THREADS,
      new DaemonThreads());

  private final OutputStream sink;
  private final int level;
  private final ExecutorService workers;
  private final int maxInFlight;
  private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<Deflater> idle = new ConcurrentLinkedQueue<>();
  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK];
  private int filled;
  /** The input block before the current one (its last 32 KiB prime the next block). */
  private byte[] previous;
  private int previousLength;
  private long inputSize;
  private boolean headerWritten;
  private boolean closed;

  ParallelGzipOutputStream(OutputStream sink, int level) {
    this(sink, level, WORKERS, 2 * THREADS + 1);
  }

  /** With its own workers and bound on blocks in flight (tests: other thread counts). */
  ParallelGzipOutputStream(OutputStream sink, int level, ExecutorService workers,
      int maxInFlight) {
    this.sink = sink;
    this.level = level;
    this.workers = workers;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    crc.update(b, off, len);
    inputSize += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == BLOCK) {
        submit(false);
      }
    }
  }

  /** Writes out every block that is complete; the current partial block stays buffered. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    while (!inFlight.isEmpty()) {
      writeOldest();
    }
    sink.flush();
  }

  /** Ends the gzip member (last block, CRC-32 and size) and flushes the sink, leaving it open. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (inFlight.isEmpty()) {
        // small streams (most layers): no hand-over to another thread
        writeHeaderOnce();
        sink.write(compress(block, filled, previous, previousLength, true));
      } else {
        submit(true);
        while (!inFlight.isEmpty()) {
          writeOldest();
        }
      }
      sink.write(littleEndian((int) crc.getValue()));
      sink.write(littleEndian((int) inputSize));
      sink.flush();
    } finally {
      closed = true;
      abandon();
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = filled;
    byte[] dictionary = previous;
    int dictionaryLength = previousLength;
    inFlight.add(workers.submit(
        (Callable<byte[]>) () -> compress(data, length, dictionary, dictionaryLength, last)));
    previous = data;
    previousLength = length;
    block = new byte[BLOCK];
    filled = 0;
    while (inFlight.size() > maxInFlight) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    Future<byte[]> oldest = inFlight.peek();
    byte[] compressed;
    try {
      compressed = oldest.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      abandon();
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException("compression failed", cause);
    }
    inFlight.remove();
    writeHeaderOnce();
    sink.write(compressed);
  }

  private void writeHeaderOnce() throws IOException {
    if (!headerWritten) {
      sink.write(HEADER);
      headerWritten = true;
    }
  }

  /** Deflates one block; the last one ends the deflate stream, the others end byte-aligned. */
  private byte[] compress(byte[] data, int length, byte[] dictionary, int dictionaryLength,
      boolean last) {
    Deflater deflater = idle.poll();
    if (deflater == null) {
      deflater = new Deflater(level, true);
    }
    try {
      if (dictionary != null) {
        int n = Math.min(WINDOW, dictionaryLength);
        deflater.setDictionary(dictionary, dictionaryLength - n, n);
      }
      deflater.setInput(data, 0, length);
      ByteArrayOutputStream out = new ByteArrayOutputStream(length / 2 + 64);
      byte[] buffer = new byte[Math.max(512, length / 2)];
      if (last) {
        deflater.finish();
        while (!deflater.finished()) {
          out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
        }
      } else {
        int n;
        do {
          n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
          out.write(buffer, 0, n);
        } while (n == buffer.length);
      }
      return out.toByteArray();
    } finally {
      deflater.reset();
      idle.add(deflater);
    }
  }

  /**
   * Drops blocks still in flight and frees the idle deflaters' native memory (a block still
   * being compressed returns its deflater later; the deflater's cleaner frees that one).
   */
  private void abandon() {
    for (Future<byte[]> f : inFlight) {
      f.cancel(false);
    }
    inFlight.clear();
    Deflater d;
    while ((d = idle.poll()) != null) {
      d.end();
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("the gzip stream is closed");
    }
  }

  private static byte[] littleEndian(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "zlayer-gzip-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
