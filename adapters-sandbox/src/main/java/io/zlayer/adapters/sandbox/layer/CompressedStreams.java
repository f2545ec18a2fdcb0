package io.zlayer.adapters.sandbox.layer;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.image.LayerCompression;
import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Compression of layer blobs: gzip and zstd (and none) when writing; when reading, the format is
 * told by the magic bytes, never by the media type alone (registries serve mislabelled layers).
 * Reading also knows bzip2 and xz, which Docker accepts for {@code ADD archive /dest}.
 */
final class CompressedStreams {
  private CompressedStreams() {}

  /** A compression format recognised by its first bytes. */
  enum Format {
    NONE,
    GZIP,
    ZSTD,
    BZIP2,
    XZ
  }

  private static final int BUFFER = 64 * 1024;

  /**
   * A stream that compresses into {@code sink}. Closing it ends the compressed stream (gzip
   * trailer, zstd frame epilogue) but leaves {@code sink} open.
   */
  static OutputStream compressing(LayerCompression compression, OutputStream sink)
      throws IOException {
    OutputStream shielded = new FilterOutputStream(sink) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
    switch (compression) {
      case GZIP:
        return new ParallelGzipOutputStream(shielded, Deflater.DEFAULT_COMPRESSION);
      case ZSTD:
        return new ZstdOutputStream(shielded);
      default:
        return shielded;
    }
  }

  /** Reads the first bytes of {@code in} (which must support mark) to tell its format. */
  static Format detect(BufferedInputStream in) throws IOException {
    in.mark(8);
    byte[] head = in.readNBytes(6);
    in.reset();
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Format.GZIP;
    }
    if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
      return Format.ZSTD;
    }
    if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return Format.BZIP2;
    }
    if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z'
        && head[3] == 'X' && head[4] == 'Z' && head[5] == 0) {
      return Format.XZ;
    }
    return Format.NONE;
  }

  /** The decompressed content of {@code raw}, whatever of the known formats it is in. */
  static InputStream decompressing(InputStream raw, String what)
      throws IOException, ImageFormatException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    Format format = detect(in);
    switch (format) {
      case GZIP:
        return new GZIPInputStream(in, BUFFER);
      case ZSTD:
        // Allow the 2 GiB windows of `zstd --long=31`; the default limit is 128 MiB.
        return new ZstdInputStream(in).setLongMax(31);
      case BZIP2:
        return new BZip2CompressorInputStream(in, true);
      case XZ:
        return XzProcessStream.open(in, what);
      default:
        return in;
    }
  }

  /** xz has no decoder in the JDK or our libraries: the {@code xz} program decodes it. */
  private static final class XzProcessStream extends InputStream {
    private final Process process;
    private final InputStream out;
    private final Thread feeder;
    private volatile IOException feedError;

    private XzProcessStream(Process process, InputStream source) {
      this.process = process;
      this.out = process.getInputStream();
      this.feeder = new Thread(() -> {
        try (OutputStream stdin = process.getOutputStream()) {
          source.transferTo(stdin);
        } catch (IOException e) {
          feedError = e;
        }
      }, "xz-feeder");
      feeder.setDaemon(true);
      feeder.start();
    }

    static InputStream open(InputStream source, String what) throws ImageFormatException {
      try {
        Process p = new ProcessBuilder("xz", "--decompress", "--stdout")
            .redirectError(ProcessBuilder.Redirect.PIPE).start();
        return new XzProcessStream(p, source);
      } catch (IOException e) {
        throw new ImageFormatException(what + " is xz-compressed and the xz program is not"
            + " installed (install xz-utils)");
      }
    }

    @Override
    public int read() throws IOException {
      return out.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = out.read(b, off, len);
      if (n < 0) {
        finish();
      }
      return n;
    }

    private void finish() throws IOException {
      try {
        int code = process.waitFor();
        feeder.join();
        if (feedError != null) {
          throw feedError;
        }
        if (code != 0) {
          String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
              .strip().lines().findFirst().orElse("");
          throw new IOException("xz failed (exit " + code + "): " + err);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for xz", e);
      }
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      out.close();
    }
  }
}
