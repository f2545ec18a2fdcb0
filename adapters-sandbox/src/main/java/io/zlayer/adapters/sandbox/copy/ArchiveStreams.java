package io.zlayer.adapters.sandbox.copy;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Local archives as {@code ADD} sees them (moby's {@code DecompressStream} and
 * {@code isArchivePath}): the compression (gzip, bzip2, xz, zstd or none) is told by the first
 * bytes, never by the name, and a file is an archive when its decompressed content starts with
 * a valid tar header.
 */
final class ArchiveStreams {
  private static final int BUFFER = 64 * 1024;

  private ArchiveStreams() {}

  /** The decompressed content of {@code file}. */
  static InputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    try {
      return decompressing(new BufferedInputStream(raw, BUFFER));
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  static InputStream decompressing(BufferedInputStream in) throws IOException {
    in.mark(8);
    byte[] head = in.readNBytes(6);
    in.reset();
    if (starts(head, 0x1f, 0x8b, 0x08)) {
      return new GZIPInputStream(in, BUFFER);
    }
    if (starts(head, 'B', 'Z', 'h')) {
      return new BZip2CompressorInputStream(in, true);
    }
    if (starts(head, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true)
          .get();
    }
    if (starts(head, 0x28, 0xb5, 0x2f, 0xfd)) {
      return new ZstdInputStream(in);
    }
    return in;
  }

  /**
   * Whether {@code file} is a regular file whose (decompressed) content begins with a tar
   * header: 512 bytes, not all zero, with a matching header checksum (Go's {@code tar.Reader}
   * accepts any header that passes it).
   */
  static boolean isTarArchive(Path file) {
    try (InputStream in = open(file)) {
      byte[] block = in.readNBytes(512);
      if (block.length < 512) {
        return false;
      }
      boolean zero = true;
      for (byte b : block) {
        if (b != 0) {
          zero = false;
          break;
        }
      }
      return !zero && checksumMatches(block);
    } catch (IOException | RuntimeException e) {
      return false; // unreadable or corrupt data is copied as a file, as Docker does
    }
  }

  private static boolean checksumMatches(byte[] block) {
    long stored = parseOctal(block, 148, 8);
    if (stored < 0) {
      return false;
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < 512; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : block[i];
      unsigned += b & 0xff;
      signed += (byte) b;
    }
    return stored == unsigned || stored == signed;
  }

  /** Go's parseOctal: NULs and spaces around the digits are ignored; -1 when not octal. */
  private static long parseOctal(byte[] b, int offset, int length) {
    int start = offset;
    int end = offset + length;
    while (start < end && (b[start] == ' ' || b[start] == 0)) {
      start++;
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == 0)) {
      end--;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      if (b[i] < '0' || b[i] > '7') {
        return -1;
      }
      value = value * 8 + (b[i] - '0');
    }
    return value;
  }

  private static boolean starts(byte[] head, int... magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
