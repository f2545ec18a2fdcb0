package io.zlayer.adapters.registry;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Blobs and blob writers for tests. */
final class TestBlobs {
  private TestBlobs() {}

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A blob that only streams (no file), from memory. */
  static Blob stream(byte[] content) {
    Digest d = Digest.sha256(content);
    return new Blob() {
      @Override
      public Digest digest() {
        return d;
      }

      @Override
      public long size() {
        return content.length;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(content);
      }
    };
  }

  /** A blob backed by a file (uploads use the file directly). */
  static Blob file(Path path) throws IOException {
    byte[] content = Files.readAllBytes(path);
    Digest d = Digest.sha256(content);
    long size = content.length;
    return new Blob() {
      @Override
      public Digest digest() {
        return d;
      }

      @Override
      public long size() {
        return size;
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(path);
      }

      @Override
      public Optional<Path> file() {
        return Optional.of(path);
      }
    };
  }

  /** Collects into memory; counts resets. */
  static final class MemoryWriter implements BlobWriter {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final AtomicInteger resets = new AtomicInteger();

    @Override
    public OutputStream stream() {
      return out;
    }

    @Override
    public long written() {
      return out.size();
    }

    @Override
    public void reset() {
      resets.incrementAndGet();
      out.reset();
    }

    @Override
    public Digest commit(Optional<Digest> expected) throws StoreException {
      Digest d = Digest.sha256(out.toByteArray());
      if (expected.isPresent() && !expected.get().equals(d)) {
        throw new StoreException("digest mismatch");
      }
      return d;
    }

    @Override
    public void close() {}

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
