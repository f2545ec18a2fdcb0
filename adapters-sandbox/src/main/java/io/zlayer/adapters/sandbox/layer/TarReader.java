package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streaming tar reader for layers: ustar, PAX (local records; global ones are read and, as
 * containerd does, ignored), GNU long names and links, GNU base-256 numbers, star prefixes and
 * old V7 headers. PAX values stay raw bytes, so binary {@code SCHILY.xattr.*} values such as
 * {@code security.capability} survive (commons-compress decodes them as UTF-8 and loses them).
 * Sparse entries are refused. Errors are {@link TarFormatException}s naming the entry.
 */
final class TarReader {
  private static final int BLOCK = 512;
  private static final String XATTR = "SCHILY.xattr.";
  private static final long MAX_META_SIZE = 1 << 20;

  private final InputStream in;
  private final byte[] block = new byte[BLOCK];
  private long remaining;
  private long padding;
  private boolean finished;
  private long entryCount;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** A malformed archive. */
  static final class TarFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    TarFormatException(String message) {
      super(message);
    }
  }

  /** The next entry, or null at the end of the archive. Skips what is left of the current one. */
  TarHeader next() throws IOException {
    if (finished) {
      return null;
    }
    skipRest();
    Map<String, byte[]> pax = null;
    String gnuLongName = null;
    String gnuLongLink = null;
    while (true) {
      if (!readBlock(true)) {
        finished = true;
        return null;
      }
      if (isZero(block)) {
        if (!readBlock(true) || isZero(block)) {
          finished = true;
          return null;
        }
        throw new TarFormatException("a zero block is followed by more data after entry "
            + entryCount);
      }
      checkChecksum();
      byte typeflag = block[156];
      long size = number(124, 12);
      if (typeflag == 'x' || typeflag == 'g') {
        byte[] data = readMeta(size, "PAX header");
        Map<String, byte[]> records = parsePax(data);
        if (typeflag == 'x') {
          pax = records; // a second local PAX header replaces the first, as in Go
        }
        continue;
      }
      if (typeflag == 'L') {
        gnuLongName = cString(readMeta(size, "GNU long name"));
        continue;
      }
      if (typeflag == 'K') {
        gnuLongLink = cString(readMeta(size, "GNU long link name"));
        continue;
      }
      entryCount++;
      return header(typeflag, size, pax == null ? Map.of() : pax, gnuLongName, gnuLongLink);
    }
  }

  private TarHeader header(byte typeflag, long headerSize, Map<String, byte[]> pax,
      String longName, String longLink) throws IOException {
    boolean ustar = matches(257, "ustar\0") && matches(263, "00");
    boolean gnu = matches(257, "ustar ") && matches(263, " \0");
    boolean star = ustar && matches(508, "tar\0");
    String name = string(0, 100);
    if (ustar) {
      String prefix = star ? string(345, 131) : string(345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    String linkName = string(157, 100);
    if (longName != null) {
      name = longName;
    }
    if (longLink != null) {
      linkName = longLink;
    }
    long size = headerSize;
    long uid = number(108, 8);
    long gid = number(116, 8);
    int mode = (int) (number(100, 8) & 07777);
    long mtimeSeconds = number(136, 12);
    FileTime mtime = FileTime.from(Instant.ofEpochSecond(mtimeSeconds));
    long devMajor = 0;
    long devMinor = 0;
    if (ustar || gnu) {
      devMajor = number(329, 8);
      devMinor = number(337, 8);
    }
    Map<String, byte[]> xattrs = new TreeMap<>();
    for (Map.Entry<String, byte[]> r : pax.entrySet()) {
      String key = r.getKey();
      byte[] value = r.getValue();
      switch (key) {
        case "path":
          name = utf8(value, "PAX path");
          break;
        case "linkpath":
          linkName = utf8(value, "PAX linkpath");
          break;
        case "size":
          size = paxNumber(key, value);
          break;
        case "uid":
          uid = paxNumber(key, value);
          break;
        case "gid":
          gid = paxNumber(key, value);
          break;
        case "mtime":
          mtime = paxTime(value);
          break;
        default:
          if (key.startsWith(XATTR)) {
            xattrs.put(key.substring(XATTR.length()), value);
          } else if (key.startsWith("GNU.sparse.")) {
            throw new TarFormatException("entry \"" + name + "\" is a sparse file, which is not"
                + " supported");
          }
      }
    }
    TarHeader.Kind kind;
    switch (typeflag) {
      case '0':
      case 0:
      case '7':
        kind = name.endsWith("/") ? TarHeader.Kind.DIRECTORY : TarHeader.Kind.REGULAR;
        break;
      case '1':
        kind = TarHeader.Kind.HARD_LINK;
        break;
      case '2':
        kind = TarHeader.Kind.SYMLINK;
        break;
      case '3':
        kind = TarHeader.Kind.CHAR_DEVICE;
        break;
      case '4':
        kind = TarHeader.Kind.BLOCK_DEVICE;
        break;
      case '5':
        kind = TarHeader.Kind.DIRECTORY;
        break;
      case '6':
        kind = TarHeader.Kind.FIFO;
        break;
      case 'S':
        throw new TarFormatException("entry \"" + name + "\" is a GNU sparse file, which is not"
            + " supported");
      default:
        throw new TarFormatException("entry \"" + name + "\" has the unsupported tar type '"
            + printable(typeflag) + "'");
    }
    if (size < 0) {
      throw new TarFormatException("entry \"" + name + "\" has a negative size");
    }
    boolean hasData = kind == TarHeader.Kind.REGULAR;
    long dataSize = hasData ? size : 0;
    // Header-only kinds carry no data even when their size field says otherwise (as in Go).
    remaining = dataSize;
    padding = padding(dataSize);
    return new TarHeader(name, kind, dataSize, mode, uid, gid, mtime, linkName, devMajor,
        devMinor, Collections.unmodifiableMap(xattrs));
  }

  /** The data of the current entry; reading past its size gives end of stream. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new TarFormatException("the archive ends in the middle of an entry");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void skipRest() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private void skipFully(long n) throws IOException {
    byte[] buffer = new byte[8192];
    while (n > 0) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
      if (r < 0) {
        throw new TarFormatException("the archive ends in the middle of an entry");
      }
      n -= r;
    }
  }

  private byte[] readMeta(long size, String what) throws IOException {
    if (size < 0 || size > MAX_META_SIZE) {
      throw new TarFormatException(what + " of " + size + " bytes is too large");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new TarFormatException("the archive ends in the middle of a " + what);
    }
    skipFully(padding(size));
    return data;
  }

  private static long padding(long size) {
    long rest = size % BLOCK;
    return rest == 0 ? 0 : BLOCK - rest;
  }

  /** Reads one block; false on a clean end of stream before it. */
  private boolean readBlock(boolean endAllowed) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0 && endAllowed) {
      return false;
    }
    if (n != BLOCK) {
      throw new TarFormatException("the archive ends in the middle of a header");
    }
    return true;
  }

  private void checkChecksum() throws TarFormatException {
    long recorded = number(148, 8);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = (i >= 148 && i < 156) ? (byte) ' ' : block[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (recorded != unsigned && recorded != signed) {
      throw new TarFormatException("invalid tar header checksum after entry " + entryCount
          + " (not a tar archive?)");
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private boolean matches(int offset, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (block[offset + i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String string(int offset, int length) throws TarFormatException {
    int end = offset;
    while (end < offset + length && block[end] != 0) {
      end++;
    }
    return utf8(Arrays.copyOfRange(block, offset, end), "tar header name");
  }

  /** Octal, or GNU base-256 when the top bit of the first byte is set. */
  private long number(int offset, int length) throws TarFormatException {
    if ((block[offset] & 0x80) != 0) {
      int invert = (block[offset] & 0x40) != 0 ? 0xff : 0;
      long value = 0;
      for (int i = 0; i < length; i++) {
        int b = (block[offset + i] & 0xff) ^ invert;
        if (i == 0) {
          b &= 0x7f;
        }
        if ((value >>> 56) != 0) {
          throw new TarFormatException("a base-256 number in a tar header overflows");
        }
        value = (value << 8) | b;
      }
      if (value < 0) {
        throw new TarFormatException("a base-256 number in a tar header overflows");
      }
      return invert != 0 ? ~value : value;
    }
    long value = 0;
    boolean digits = false;
    for (int i = offset; i < offset + length; i++) {
      byte b = block[i];
      if (b == 0 || b == ' ') {
        if (digits) {
          break;
        }
        continue;
      }
      if (b < '0' || b > '7') {
        throw new TarFormatException("invalid octal number in a tar header after entry "
            + entryCount);
      }
      digits = true;
      value = (value << 3) | (b - '0');
    }
    return value;
  }

  private static Map<String, byte[]> parsePax(byte[] data) throws TarFormatException {
    Map<String, byte[]> records = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break; // some writers pad the PAX data with NULs
      }
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      long length;
      try {
        length = Long.parseLong(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new TarFormatException("malformed PAX record length");
      }
      if (space >= data.length || length <= space - pos + 1 || pos + length > data.length
          || data[(int) (pos + length - 1)] != '\n') {
        throw new TarFormatException("malformed PAX record");
      }
      int recordEnd = (int) (pos + length - 1);
      int eq = space + 1;
      while (eq < recordEnd && data[eq] != '=') {
        eq++;
      }
      if (eq >= recordEnd || eq == space + 1) {
        throw new TarFormatException("malformed PAX record: no key");
      }
      String key = utf8(Arrays.copyOfRange(data, space + 1, eq), "PAX key");
      byte[] value = Arrays.copyOfRange(data, eq + 1, recordEnd);
      if ((key.equals("path") || key.equals("linkpath") || key.equals("uname")
          || key.equals("gname")) && indexOfZero(value) >= 0) {
        throw new TarFormatException("PAX record " + key + " contains a NUL byte");
      }
      records.put(key, value);
      pos += (int) length;
    }
    return records;
  }

  private static int indexOfZero(byte[] value) {
    for (int i = 0; i < value.length; i++) {
      if (value[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static long paxNumber(String key, byte[] value) throws TarFormatException {
    try {
      long n = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
      if (n < 0) {
        throw new TarFormatException("PAX record " + key + " is negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new TarFormatException("PAX record " + key + " is not a number");
    }
  }

  private static FileTime paxTime(byte[] value) throws TarFormatException {
    String text = new String(value, StandardCharsets.US_ASCII);
    try {
      java.math.BigDecimal seconds = new java.math.BigDecimal(text);
      long whole = seconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
      long nanos = seconds.subtract(java.math.BigDecimal.valueOf(whole))
          .movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
      return FileTime.from(Instant.ofEpochSecond(whole, nanos));
    } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
      throw new TarFormatException("PAX mtime \"" + text + "\" is not a time");
    }
  }

  private static String cString(byte[] data) throws TarFormatException {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return utf8(Arrays.copyOf(data, end), "GNU long name");
  }

  static String utf8(byte[] bytes, String what) throws TarFormatException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new TarFormatException(what + " is not valid UTF-8: \""
          + new String(bytes, StandardCharsets.UTF_8) + "\"");
    }
  }

  private static String printable(byte b) {
    return b >= 32 && b < 127 ? String.valueOf((char) b) : "\\x" + Integer.toHexString(b & 0xff);
  }
}
