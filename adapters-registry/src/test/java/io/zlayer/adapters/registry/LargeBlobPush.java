package io.zlayer.adapters.registry;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a separate small-heap JVM by {@link LargeBlobPushIT}: pushes a file blob with the
 * default settings, then downloads it again into a writer that only counts, and prints the
 * peak heap use. Arguments: registry host, repository, file, digest.
 */
public final class LargeBlobPush {
  private LargeBlobPush() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    String repository = args[1];
    Path file = Path.of(args[2]);
    Digest digest = Digest.parse(args[3]);
    long size = Files.size(file);
    Blob blob = new Blob() {
      @Override
      public Digest digest() {
        return digest;
      }

      @Override
      public long size() {
        return size;
      }

      @Override
      public InputStream open() throws java.io.IOException {
        return Files.newInputStream(file);
      }

      @Override
      public Optional<Path> file() {
        return args.length > 4 && args[4].equals("stream") ? Optional.empty()
            : Optional.of(file);
      }
    };
    AtomicLong peak = new AtomicLong();
    Runtime rt = Runtime.getRuntime();
    RegistryRepository repo = new HttpRegistry(registry -> Optional.empty()).repository(
        new ImageReference(host, repository, Optional.of("latest"), Optional.empty()),
        RegistryOptions.DEFAULT, true);
    long t0 = System.nanoTime();
    repo.pushBlob(blob, Optional.empty(), (done, total) ->
        peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max));
    long pushed = System.nanoTime();
    AtomicLong received = new AtomicLong();
    BlobWriter counting = new BlobWriter() {
      private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) {
          received.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) {
          received.addAndGet(len);
        }
      };

      @Override
      public OutputStream stream() {
        return out;
      }

      @Override
      public long written() {
        return received.get();
      }

      @Override
      public void reset() {
        received.set(0);
      }

      @Override
      public Digest commit(Optional<Digest> expected) throws StoreException {
        return digest;
      }

      @Override
      public void close() {}
    };
    repo.fetchBlob(Descriptor.of("application/octet-stream", digest, size), counting,
        (done, total) -> peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max));
    long pulled = System.nanoTime();
    if (received.get() != size) {
      throw new IllegalStateException("received " + received.get() + " of " + size);
    }
    System.out.println("pushed " + size + " bytes in " + (pushed - t0) / 1_000_000 + " ms, "
        + "pulled in " + (pulled - pushed) / 1_000_000 + " ms, peak heap "
        + (peak.get() >> 20) + " MiB of max " + (rt.maxMemory() >> 20) + " MiB");
  }
}
