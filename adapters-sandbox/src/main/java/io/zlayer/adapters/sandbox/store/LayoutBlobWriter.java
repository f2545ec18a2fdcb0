package io.zlayer.adapters.sandbox.store;

import io.zlayer.application.port.BlobWriter;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Streams a blob into an ingest file of the store, hashing it on the way; {@link #commit} flushes
 * the file to disk, checks the digest and hands the file to the store to rename into
 * {@code blobs/}. Not thread-safe, like the port says.
 */
final class LayoutBlobWriter implements BlobWriter {
  private static final int BUFFER_SIZE = 64 * 1024;

  private enum State { OPEN, COMMITTED, CLOSED }

  private final OciLayoutStore store;
  private final Path temp;
  private final FileChannel channel;
  private final MessageDigest sha256 = Digest.newSha256();
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
  private final OutputStream stream = new IngestStream();
  private long written;
  private State state = State.OPEN;

  LayoutBlobWriter(OciLayoutStore store, Path temp, FileChannel channel) {
    this.store = store;
    this.temp = temp;
    this.channel = channel;
  }

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public void reset() throws StoreException {
    requireOpen();
    try {
      buffer.clear();
      channel.truncate(0);
      channel.position(0);
    } catch (IOException e) {
      abandon();
      throw store.failure("restart a blob write", e);
    }
    sha256.reset();
    written = 0;
  }

  @Override
  public Digest commit(Optional<Digest> expected) throws StoreException {
    requireOpen();
    try {
      drain();
      channel.force(true);
      channel.close();
    } catch (IOException e) {
      abandon();
      throw store.failure("write a blob", e);
    }
    Digest actual = Digest.ofSha256(sha256.digest());
    if (expected.isPresent() && !expected.get().algorithm().equals(Digest.SHA256)) {
      try {
        actual = rehash(expected.get());
      } catch (IOException e) {
        abandon();
        throw store.failure("hash a blob", e);
      }
    }
    if (expected.isPresent() && !expected.get().equals(actual)) {
      abandon();
      throw new StoreException("blob content does not match its digest: expected "
          + expected.get() + ", got " + actual + " (" + written + " bytes)");
    }
    try {
      store.publish(temp, actual);
    } catch (StoreException e) {
      abandon();
      throw e;
    }
    state = State.COMMITTED;
    return actual;
  }

  @Override
  public void close() {
    if (state == State.OPEN) {
      abandon();
    }
  }

  private Digest rehash(Digest expected) throws IOException {
    MessageDigest hasher = expected.newHasher();
    byte[] buf = new byte[BUFFER_SIZE];
    try (InputStream in = Files.newInputStream(temp)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        hasher.update(buf, 0, n);
      }
    }
    return new Digest(expected.algorithm(), HexFormat.of().formatHex(hasher.digest()));
  }

  private void abandon() {
    state = State.CLOSED;
    try {
      channel.close();
    } catch (IOException e) {
      // the file is deleted next; a close failure changes nothing
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // a leftover ingest file is removed by the next prune once this process has ended
    }
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("the blob writer is already "
          + (state == State.COMMITTED ? "committed" : "closed"));
    }
  }

  private void drain() throws IOException {
    buffer.flip();
    writeFully(buffer);
    buffer.clear();
  }

  private void writeFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  private final class IngestStream extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      ensureWritable();
      if (!buffer.hasRemaining()) {
        drain();
      }
      buffer.put((byte) b);
      sha256.update((byte) b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      ensureWritable();
      if (len >= BUFFER_SIZE) {
        drain();
        writeFully(ByteBuffer.wrap(b, off, len));
      } else {
        if (buffer.remaining() < len) {
          drain();
        }
        buffer.put(b, off, len);
      }
      sha256.update(b, off, len);
      written += len;
    }

    @Override
    public void flush() throws IOException {
      ensureWritable();
      drain();
    }

    /** Only flushes: the writer, not its stream, decides between commit and discard. */
    @Override
    public void close() throws IOException {
      if (state == State.OPEN) {
        drain();
      }
    }

    private void ensureWritable() throws IOException {
      if (state != State.OPEN) {
        throw new IOException("the blob writer is already "
            + (state == State.COMMITTED ? "committed" : "closed"));
      }
    }
  }
}
