package io.zlayer.adapters.sandbox.copy;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds tar archives for tests, names kept exactly as given (malicious ones included). */
final class TarBuilder {
  static final long MTIME = 1_234_567_890L;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;
  private int uid;
  private int gid;

  TarBuilder() {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  TarBuilder owned(int uid, int gid) {
    this.uid = uid;
    this.gid = gid;
    return this;
  }

  private TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setModTime(FileTime.from(Instant.ofEpochSecond(MTIME)));
    return e;
  }

  TarBuilder dir(String name, int mode) throws IOException {
    TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
    e.setMode(040000 | mode);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  TarBuilder file(String name, String content, int mode) throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.setMode(0100000 | mode);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
    return this;
  }

  TarBuilder file(String name, String content) throws IOException {
    return file(name, content, 0644);
  }

  TarBuilder symlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  TarBuilder hardLink(String name, String target) throws IOException {
    return hardLink(name, target, 0644);
  }

  /** A hard link; tar writes the linked file's mode into its header, and untar applies it. */
  TarBuilder hardLink(String name, String target, int mode) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK);
    e.setMode(0100000 | mode);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  TarBuilder fifo(String name) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_FIFO);
    e.setMode(010644);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  byte[] tar() throws IOException {
    tar.finish();
    return bytes.toByteArray();
  }

  enum Compression { NONE, GZIP, BZIP2, XZ, ZSTD }

  byte[] compressed(Compression c) throws IOException {
    byte[] raw = tar();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = compressor(c, out)) {
      z.write(raw);
    }
    return out.toByteArray();
  }

  private static OutputStream compressor(Compression c, OutputStream out) throws IOException {
    switch (c) {
      case GZIP:
        return new GZIPOutputStream(out);
      case BZIP2:
        return new BZip2CompressorOutputStream(out);
      case XZ:
        return new XZCompressorOutputStream(out);
      case ZSTD:
        return new ZstdOutputStream(out);
      default:
        return out;
    }
  }
}
