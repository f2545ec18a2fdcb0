package io.zlayer.adapters.registry;

import io.zlayer.application.port.Blob;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * The bytes of a blob being uploaded, as request bodies for the whole blob or for a chunk at any
 * offset, streamed (never held in memory). A blob with a {@link Blob#file()} is read from the
 * file; otherwise from {@link Blob#open()}, kept open across consecutive chunks and reopened
 * (skipping to the offset) only after a failed request. Failures of the blob itself (a read
 * error, a length that does not match) are recorded, so the upload reports them instead of
 * retrying them as network trouble.
 */
abstract class UploadSource implements Closeable {
  protected final Blob blob;
  private final AtomicReference<IOException> failure = new AtomicReference<>();

  private UploadSource(Blob blob) {
    this.blob = blob;
  }

  static UploadSource of(Blob blob) throws IOException {
    Optional<Path> file = blob.file();
    if (file.isPresent()) {
      return new FromFile(blob, file.get());
    }
    return new FromStream(blob);
  }

  /** The whole blob; {@code progress} receives the bytes handed to the HTTP client so far. */
  abstract RequestBody whole(LongConsumer progress) throws IOException;

  /** {@code length} bytes from {@code offset}; progress counts from 0 for this chunk. */
  abstract RequestBody chunk(long offset, long length, LongConsumer progress) throws IOException;

  /** Tells the source that the last body may not have been read as expected. */
  void requestFailed() {}

  /** A failure of the blob's own content, if one happened. */
  Optional<IOException> failure() {
    return Optional.ofNullable(failure.get());
  }

  protected IOException record(IOException e) {
    failure.compareAndSet(null, e);
    return e;
  }

  @Override
  public void close() throws IOException {}

  private static final class FromFile extends UploadSource {
    private final Path path;
    private FileChannel channel;

    FromFile(Blob blob, Path path) throws IOException {
      super(blob);
      this.path = path;
      long actual = Files.size(path);
      if (actual != blob.size()) {
        throw record(new IOException("blob file " + path + " has " + actual
            + " bytes but the blob's size is " + blob.size()));
      }
    }

    @Override
    RequestBody whole(LongConsumer progress) {
      return body(blob.size(), () -> counting(BodyPublishers.ofFile(path), progress));
    }

    @Override
    synchronized RequestBody chunk(long offset, long length, LongConsumer progress)
        throws IOException {
      if (channel == null) {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      }
      FileChannel ch = channel;
      return body(length, () -> counting(BodyPublishers.fromPublisher(
          BodyPublishers.ofInputStream(() -> new ChannelSlice(ch, offset, length)), length),
          progress));
    }

    @Override
    public synchronized void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  private static final class FromStream extends UploadSource {
    private InputStream stream;
    private long position;
    private Bounded last;
    private boolean broken = true;

    FromStream(Blob blob) {
      super(blob);
    }

    @Override
    RequestBody whole(LongConsumer progress) {
      return body(blob.size(), () -> counting(BodyPublishers.fromPublisher(
          BodyPublishers.ofInputStream(() -> new Checked(openOrRecord(), blob.size())),
          blob.size()), progress));
    }

    private InputStream openOrRecord() {
      try {
        return blob.open();
      } catch (IOException e) {
        record(e);
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    synchronized RequestBody chunk(long offset, long length, LongConsumer progress)
        throws IOException {
      boolean continues = !broken && last != null && last.done() && position == offset;
      if (!continues) {
        reopenAt(offset);
      }
      broken = false;
      Bounded slice = new Bounded(stream, length);
      last = slice;
      position = offset + length;
      // The body is sent once: a retry asks for a new chunk, which reopens the stream.
      return body(length, () -> counting(BodyPublishers.fromPublisher(
          BodyPublishers.ofInputStream(() -> slice), length), progress));
    }

    private void reopenAt(long offset) throws IOException {
      if (stream != null) {
        try {
          stream.close();
        } catch (IOException ignored) {
          // an abandoned stream
        }
      }
      try {
        stream = blob.open();
        stream.skipNBytes(offset);
      } catch (IOException e) {
        throw record(e);
      }
      position = offset;
    }

    @Override
    synchronized void requestFailed() {
      broken = true;
    }

    @Override
    public synchronized void close() throws IOException {
      if (stream != null) {
        stream.close();
      }
    }

    /** At most {@code length} bytes of a shared stream; closing it leaves the stream open. */
    private final class Bounded extends InputStream {
      private final InputStream in;
      private long remaining;

      Bounded(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
      }

      boolean done() {
        return remaining == 0;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n;
        try {
          n = in.read(b, off, (int) Math.min(len, remaining));
        } catch (IOException e) {
          throw record(e);
        }
        if (n < 0) {
          throw record(new IOException("blob " + blob.digest() + " ended before its size of "
              + blob.size() + " bytes"));
        }
        remaining -= n;
        return n;
      }
    }

    /** The whole stream, checked against the blob's size; read errors are recorded. */
    private final class Checked extends InputStream {
      private final InputStream in;
      private final long size;
      private long read;

      Checked(InputStream in, long size) {
        this.in = in;
        this.size = size;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
          n = in.read(b, off, len);
        } catch (IOException e) {
          throw record(e);
        }
        if (n < 0) {
          if (read != size) {
            throw record(new IOException("blob " + blob.digest() + " has " + read
                + " bytes but its size is " + size));
          }
          return -1;
        }
        read += n;
        if (read > size) {
          throw record(new IOException("blob " + blob.digest() + " has more than its size of "
              + size + " bytes"));
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    }
  }

  @FunctionalInterface
  private interface PublisherFactory {
    BodyPublisher create() throws IOException;
  }

  private static RequestBody body(long length, PublisherFactory factory) {
    return new RequestBody() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public BodyPublisher publisher() throws IOException {
        return factory.create();
      }
    };
  }

  /** Positional reads of a file region (thread-safe, no shared position). */
  private static final class ChannelSlice extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    ChannelSlice(FileChannel channel, long offset, long length) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= end) {
        return -1;
      }
      int want = (int) Math.min(len, end - position);
      int n = channel.read(ByteBuffer.wrap(b, off, want), position);
      if (n < 0) {
        throw new IOException("file ended before the blob's size");
      }
      position += n;
      return n;
    }
  }

  /** Reports the bytes a publisher hands to the HTTP client. */
  static BodyPublisher counting(BodyPublisher delegate, LongConsumer progress) {
    return new BodyPublisher() {
      @Override
      public long contentLength() {
        return delegate.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        AtomicLong sent = new AtomicLong();
        delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscriber.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            long n = sent.addAndGet(item.remaining());
            subscriber.onNext(item);
            progress.accept(n);
          }

          @Override
          public void onError(Throwable throwable) {
            subscriber.onError(throwable);
          }

          @Override
          public void onComplete() {
            subscriber.onComplete();
          }
        });
      }
    };
  }
}
