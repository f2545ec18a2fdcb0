package io.zlayer.adapters.sandbox.layer;

import io.zlayer.domain.image.Digest;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer directory (an overlayfs upper directory) as an OCI layer tar, compressed, in one
 * streaming pass that also computes the diff_id, the blob digest and the blob size.
 *
 * <p>The tar is deterministic: entries in depth-first order with each directory's children
 * sorted by the bytes of their names, whole-second modification times, no atime/ctime, empty
 * user and group names, PAX records sorted by key. Whiteout devices become {@code .wh.NAME}
 * files, opaque directories get a {@code .wh..wh..opq} entry right after their own entry, hard
 * links inside the layer stay hard links.
 *
 * <p>PAX records are built here rather than by commons-compress, which encodes PAX values as
 * UTF-8 text: binary attribute values such as {@code security.capability} with
 * {@code cap_setuid} (byte 0x80) would be corrupted. commons-compress still formats every
 * header; it is set to fail (not truncate) if a name ever reached it too long.
 */
public final class LayerTarWriter {
  private static final long MAX_OCTAL_ID = 07777777L;
  private static final long MAX_OCTAL_SIZE = 077777777777L;
  private static final int NAME_FIELD = 100;
  private static final String XATTR_PREFIX = "SCHILY.xattr.";

  /** Writes {@code layerDir} compressed into {@code sink}; {@code sink} is flushed, not closed. */
  public LayerBlob write(Path layerDir, OutputStream sink, LayerTarOptions options)
      throws IOException {
    DigestingOutputStream compressed = new DigestingOutputStream(sink);
    OutputStream compressor = CompressedStreams.compressing(options.compression(), compressed);
    DigestingOutputStream uncompressed = new DigestingOutputStream(compressor);
    writeTar(layerDir, uncompressed, options);
    compressor.close(); // ends the gzip/zstd stream; leaves the sink open
    compressed.flush();
    return new LayerBlob(compressed.digest(), compressed.count(), uncompressed.digest(),
        options.compression());
  }

  /**
   * The diff_id {@code layerDir} has as a layer: the digest of the tar {@link #write} would
   * write, without compressing or storing it (the compression of {@code options} is ignored).
   */
  public Digest diffId(Path layerDir, LayerTarOptions options) throws IOException {
    DigestingOutputStream tar = new DigestingOutputStream(OutputStream.nullOutputStream());
    writeTar(layerDir, tar, options);
    return tar.digest();
  }

  private static void writeTar(Path layerDir, OutputStream out, LayerTarOptions options)
      throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(
        new BufferedOutputStream(out, 64 * 1024), "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
    tar.setAddPaxHeadersForNonAsciiNames(false);
    Walk walk = new Walk(layerDir, tar, options,
        ExtendedAttributes.forTree(layerDir));
    walk.directory(layerDir, "");
    tar.finish();
    tar.close(); // flushes into `out`, whose close leaves what is under it open
  }

  /**
   * Whether attributes outside {@code user.*} ({@code security.capability} above all) are read
   * and written: that needs the getfattr/setfattr programs (package attr). Without them such
   * attributes are silently left out of layers, so the engine should warn once.
   */
  public static boolean preservesAllAttributes() {
    return ExtendedAttributes.seesAllNamespaces();
  }

  /** Whether a layer directory holds no change at all, so the layer can be skipped. */
  public static boolean isEmpty(Path layerDir) throws IOException {
    return isEmpty(layerDir, LayerTarOptions.of(io.zlayer.domain.image.LayerCompression.NONE));
  }

  /** Whether writing {@code layerDir} with {@code options} would give a tar without entries. */
  public static boolean isEmpty(Path layerDir, LayerTarOptions options) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(layerDir)) {
      for (Path child : children) {
        FileMetadata metadata = FileMetadata.read(child);
        if (metadata.type() != FileType.SOCKET
            && !options.isExcluded(child.getFileName().toString())) {
          return false;
        }
      }
    }
    return true;
  }

  private static final class Walk {
    private final Path root;
    private final TarArchiveOutputStream tar;
    private final LayerTarOptions options;
    private final ExtendedAttributes.TreeAttributes attributes;
    private final Map<List<Long>, String> firstLinks = new HashMap<>();
    private final byte[] buffer = new byte[64 * 1024];

    Walk(Path root, TarArchiveOutputStream tar, LayerTarOptions options,
        ExtendedAttributes.TreeAttributes attributes) {
      this.root = root;
      this.tar = tar;
      this.options = options;
      this.attributes = attributes;
    }

    void directory(Path dir, String relative) throws IOException {
      List<Child> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        for (Path child : stream) {
          String name = child.getFileName().toString();
          if (!dir.resolve(name).equals(child)) {
            throw new IOException("layer directory " + root + ": the name of "
                + PathNames.display(PathNames.join(relative, name)) + " is not valid UTF-8"
                + " (or the JVM does not run with a UTF-8 locale: set LANG=C.UTF-8)");
          }
          children.add(new Child(name, child, name.getBytes(StandardCharsets.UTF_8)));
        }
      }
      children.sort((a, b) -> Arrays.compareUnsigned(a.bytes, b.bytes));
      for (Child child : children) {
        String rel = PathNames.join(relative, child.name);
        if (options.isExcluded(rel)) {
          continue;
        }
        entry(child.path, rel, child.name);
      }
    }

    private void entry(Path path, String rel, String name) throws IOException {
      FileMetadata m = FileMetadata.read(path);
      if (m.type() == FileType.SOCKET) {
        return; // sockets cannot be archived; Docker skips them too
      }
      Map<String, byte[]> all = attributes.of(rel, path, m);
      String unsupported = OverlayFormat.unsupportedFeature(all);
      if (unsupported != null) {
        throw new IOException("layer directory " + root + ": " + PathNames.display(rel)
            + " is " + unsupported);
      }
      FileTime mtime = clamp(m.mtime());
      if (m.isWhiteout()) {
        String parent = PathNames.parent(rel);
        put(marker(PathNames.join(parent, OverlayFormat.WHITEOUT_PREFIX + name), mtime),
            Map.of());
        tar.closeArchiveEntry();
        return;
      }
      Map<String, byte[]> xattrs = new TreeMap<>();
      for (Map.Entry<String, byte[]> e : all.entrySet()) {
        if (ExtendedAttributes.isPreserved(e.getKey())) {
          xattrs.put(e.getKey(), e.getValue());
        }
      }
      if (m.isDirectory()) {
        TarArchiveEntry entry = new TarArchiveEntry(rel + "/", TarConstants.LF_DIR);
        describe(entry, m, mtime);
        put(entry, xattrs);
        tar.closeArchiveEntry();
        boolean opaque = ExtendedAttributes.seesAllNamespaces()
            ? OverlayFormat.isOpaque(all) : OverlayFormat.isOpaque(path);
        if (opaque) {
          put(marker(rel + "/" + OverlayFormat.OPAQUE_MARKER, mtime), Map.of());
          tar.closeArchiveEntry();
        }
        directory(path, rel);
        return;
      }
      if (m.nlink() > 1) {
        List<Long> inode = List.of(m.dev(), m.ino());
        String first = firstLinks.get(inode);
        if (first != null) {
          TarArchiveEntry link = new TarArchiveEntry(rel, TarConstants.LF_LINK);
          describe(link, m, mtime);
          link.setSize(0);
          link.setLinkName(first);
          put(link, Map.of());
          tar.closeArchiveEntry();
          return;
        }
        firstLinks.put(inode, rel);
      }
      TarArchiveEntry entry;
      switch (m.type()) {
        case REGULAR:
          entry = new TarArchiveEntry(rel, TarConstants.LF_NORMAL);
          describe(entry, m, mtime);
          entry.setSize(m.size());
          put(entry, xattrs);
          copy(path, m.size(), rel);
          tar.closeArchiveEntry();
          return;
        case SYMLINK:
          entry = new TarArchiveEntry(rel, TarConstants.LF_SYMLINK);
          entry.setLinkName(Files.readSymbolicLink(path).toString());
          break;
        case CHAR_DEVICE:
        case BLOCK_DEVICE:
          entry = new TarArchiveEntry(rel, m.type() == FileType.CHAR_DEVICE
              ? TarConstants.LF_CHR : TarConstants.LF_BLK);
          entry.setDevMajor((int) m.devMajor());
          entry.setDevMinor((int) m.devMinor());
          break;
        case FIFO:
          entry = new TarArchiveEntry(rel, TarConstants.LF_FIFO);
          break;
        default:
          throw new IllegalStateException("unexpected " + m.type());
      }
      describe(entry, m, mtime);
      entry.setSize(0);
      put(entry, xattrs);
      tar.closeArchiveEntry();
    }

    private void copy(Path path, long size, String rel) throws IOException {
      long left = size;
      try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            throw new IOException("layer directory " + root + ": " + PathNames.display(rel)
                + " shrank while it was being archived");
          }
          tar.write(buffer, 0, n);
          left -= n;
        }
      }
    }

    private FileTime clamp(FileTime time) {
      Instant t = time.toInstant();
      Optional<Instant> epoch = options.sourceDateEpoch();
      if (epoch.isPresent() && t.isAfter(epoch.get())) {
        t = epoch.get();
      }
      return FileTime.from(Instant.ofEpochSecond(t.getEpochSecond()));
    }

    private static TarArchiveEntry marker(String name, FileTime mtime) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
      entry.setMode(0);
      entry.setUserId(0L);
      entry.setGroupId(0L);
      entry.setModTime(mtime);
      entry.setSize(0);
      return entry;
    }

    private static void describe(TarArchiveEntry entry, FileMetadata m, FileTime mtime) {
      entry.setMode(m.permissions());
      entry.setUserId(Integer.toUnsignedLong(m.uid()));
      entry.setGroupId(Integer.toUnsignedLong(m.gid()));
      entry.setUserName("");
      entry.setGroupName("");
      entry.setModTime(mtime);
    }

    /**
     * Writes the header of {@code entry}, preceded by one PAX header when a field does not fit
     * ustar (long or non-ASCII names, big ids, out-of-range times and sizes) or there are
     * extended attributes. The ustar fields then carry what fits: ASCII names truncated, zeros.
     */
    private void put(TarArchiveEntry entry, Map<String, byte[]> xattrs) throws IOException {
      TreeMap<String, byte[]> pax = new TreeMap<>();
      String name = entry.getName();
      if (needsPax(name)) {
        pax.put("path", utf8(name));
        entry.setName(ustarName(name, entry.isDirectory()));
      }
      String link = entry.getLinkName();
      if (link != null && !link.isEmpty() && needsPax(link)) {
        pax.put("linkpath", utf8(link));
        entry.setLinkName(ustarName(link, false));
      }
      if (entry.getLongUserId() > MAX_OCTAL_ID) {
        pax.put("uid", ascii(entry.getLongUserId()));
        entry.setUserId(0L);
      }
      if (entry.getLongGroupId() > MAX_OCTAL_ID) {
        pax.put("gid", ascii(entry.getLongGroupId()));
        entry.setGroupId(0L);
      }
      long seconds = entry.getLastModifiedTime().toInstant().getEpochSecond();
      if (seconds < 0 || seconds > MAX_OCTAL_SIZE) {
        pax.put("mtime", ascii(seconds));
        entry.setModTime(FileTime.from(Instant.EPOCH));
      }
      if (entry.getSize() > MAX_OCTAL_SIZE) {
        pax.put("size", ascii(entry.getSize())); // the header keeps it too, in base-256
      }
      for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
        pax.put(XATTR_PREFIX + x.getKey(), x.getValue());
      }
      if (!pax.isEmpty()) {
        byte[] data = paxData(pax);
        TarArchiveEntry header = new TarArchiveEntry(paxHeaderName(name),
            TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        header.setMode(0);
        header.setUserId(0L);
        header.setGroupId(0L);
        header.setModTime(FileTime.from(Instant.EPOCH));
        header.setSize(data.length);
        tar.putArchiveEntry(header);
        tar.write(data);
        tar.closeArchiveEntry();
      }
      tar.putArchiveEntry(entry);
    }
  }

  private record Child(String name, Path path, byte[] bytes) {}

  private static boolean needsPax(String name) {
    return utf8(name).length >= NAME_FIELD || !isAscii(name);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c == 0) {
        return false;
      }
    }
    return true;
  }

  /** What goes into the 100-byte ustar name field when the PAX record has the real name. */
  private static String ustarName(String name, boolean directory) {
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x80 && c != 0) {
        ascii.append(c);
      }
    }
    String s = ascii.toString();
    if (s.length() >= NAME_FIELD) {
      s = s.substring(0, NAME_FIELD - 1);
    }
    if (directory && !s.endsWith("/")) {
      s = s.substring(0, Math.min(s.length(), NAME_FIELD - 2)) + "/";
    }
    if (!directory) {
      // a trailing slash would make the entry a directory for readers ignoring PAX
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.isEmpty()) {
        s = "_";
      }
    }
    return s;
  }

  /** Go's choice: {@code dir/PaxHeaders.0/base}, ASCII only, fitting the name field. */
  private static String paxHeaderName(String name) {
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    String parent = PathNames.parent(trimmed);
    String header = PathNames.join(PathNames.join(parent, "PaxHeaders.0"),
        PathNames.base(trimmed));
    String ascii = ustarName(header, false);
    while (ascii.endsWith("/")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    return ascii;
  }

  /** PAX records: "LEN key=value\n" where LEN counts the whole record, its own digits too. */
  static byte[] paxData(Map<String, byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] key = utf8(r.getKey());
      int rest = 1 + key.length + 1 + r.getValue().length + 1; // " key=value\n"
      int length = rest + Integer.toString(rest).length();
      if (Integer.toString(length).length() != Integer.toString(rest).length()) {
        length = rest + Integer.toString(length).length();
      }
      out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
      out.write(' ');
      out.writeBytes(key);
      out.write('=');
      out.writeBytes(r.getValue());
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }
}
