package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streaming tar reader for layers: ustar, PAX (local records; global ones are read and, as
 * containerd does, ignored), GNU long names and links, GNU base-256 numbers, star prefixes and
 * old V7 headers. PAX values stay raw bytes, so binary {@code SCHILY.xattr.*} values such as
 * {@code security.capability} survive (commons-compress decodes them as UTF-8 and loses them).
 * GNU sparse files (old GNU headers and PAX formats 0.0, 0.1 and 1.0) are read with their
 * fragment maps. Errors are {@link TarFormatException}s naming the entry.
 */
final class TarReader {
  private static final int BLOCK = 512;
  private static final String XATTR = "SCHILY.xattr.";
  private static final long MAX_META_SIZE = 1 << 20;
  private static final int MAX_FRAGMENTS = 1_000_000;
  /** The largest uid or gid Linux knows (2^32 - 2; 2^32 - 1 means "no change"). */
  private static final long MAX_ID = 0xfffffffeL;

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
    FileTime mtime = seconds(number(136, 12));
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
          }
      }
    }
    if (pax.containsKey("GNU.sparse.name")) {
      name = utf8(pax.get("GNU.sparse.name"), "PAX GNU.sparse.name");
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
        kind = TarHeader.Kind.REGULAR;
        break;
      default:
        throw new TarFormatException("entry \"" + name + "\" has the unsupported tar type '"
            + printable(typeflag) + "'");
    }
    if (size < 0) {
      throw new TarFormatException("entry \"" + name + "\" has a negative size");
    }
    if (uid < 0 || uid > MAX_ID || gid < 0 || gid > MAX_ID) {
      throw new TarFormatException("entry \"" + name + "\" has an owner outside 0.."
          + MAX_ID);
    }
    boolean hasData = kind == TarHeader.Kind.REGULAR;
    long dataSize = hasData ? size : 0;
    // Header-only kinds carry no data even when their size field says otherwise (as in Go).
    remaining = dataSize;
    padding = padding(dataSize);
    List<TarHeader.Fragment> sparse = List.of();
    long fileSize = dataSize;
    if (hasData && typeflag == 'S') {
      fileSize = number(483, 12);
      sparse = oldGnuSparseMap(name);
    } else if (hasData && isSparsePax(pax)) {
      boolean v1 = "1".equals(ascii(pax.get("GNU.sparse.major")))
          && "0".equals(ascii(pax.get("GNU.sparse.minor")));
      String sizeKey = v1 ? "GNU.sparse.realsize" : "GNU.sparse.size";
      if (!pax.containsKey(sizeKey)) {
        throw new TarFormatException("sparse entry \"" + name + "\" has no " + sizeKey);
      }
      fileSize = paxNumber(sizeKey, pax.get(sizeKey));
      sparse = v1 ? sparseMapFromData(name) : sparseMapFromPax(name, pax.get("GNU.sparse.map"));
    }
    if (!sparse.isEmpty() || typeflag == 'S' || isSparsePax(pax)) {
      checkSparse(name, sparse, fileSize);
      if (sparse.isEmpty() || sparse.get(sparse.size() - 1).offset()
          + sparse.get(sparse.size() - 1).length() < fileSize) {
        sparse = new ArrayList<>(sparse); // a final empty fragment marks the size
        sparse.add(new TarHeader.Fragment(fileSize, 0));
      }
      sparse = List.copyOf(sparse);
    }
    return new TarHeader(name, kind, fileSize, mode, uid, gid, mtime, linkName, devMajor,
        devMinor, Collections.unmodifiableMap(xattrs), sparse);
  }

  private static boolean isSparsePax(Map<String, byte[]> pax) {
    return pax.containsKey("GNU.sparse.map")
        || "1".equals(ascii(pax.get("GNU.sparse.major")));
  }

  private static String ascii(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.US_ASCII);
  }

  /** The map of an old GNU sparse header: 4 entries, then extension blocks of 21. */
  private List<TarHeader.Fragment> oldGnuSparseMap(String name) throws IOException {
    List<TarHeader.Fragment> map = new ArrayList<>();
    readFragments(386, 4, map);
    boolean extended = block[482] != 0;
    byte[] header = block.clone();
    while (extended) {
      if (!readBlock(false)) {
        throw new TarFormatException("the archive ends in the sparse map of " + name);
      }
      readFragments(0, 21, map);
      extended = block[504] != 0;
      if (map.size() > MAX_FRAGMENTS) {
        throw new TarFormatException("sparse entry \"" + name + "\" has too many fragments");
      }
    }
    System.arraycopy(header, 0, block, 0, BLOCK);
    return map;
  }

  private void readFragments(int offset, int count, List<TarHeader.Fragment> map)
      throws TarFormatException {
    for (int i = 0; i < count; i++) {
      int at = offset + i * 24;
      if (block[at] == 0 && block[at + 12] == 0) {
        continue;
      }
      map.add(new TarHeader.Fragment(number(at, 12), number(at + 12, 12)));
    }
  }

  private static List<TarHeader.Fragment> sparseMapFromPax(String name, byte[] value)
      throws TarFormatException {
    if (value == null) {
      throw new TarFormatException("sparse entry \"" + name + "\" has no GNU.sparse.map");
    }
    String text = ascii(value);
    List<TarHeader.Fragment> map = new ArrayList<>();
    if (text.isEmpty()) {
      return map;
    }
    String[] numbers = text.split(",", -1);
    if (numbers.length % 2 != 0) {
      throw new TarFormatException("sparse entry \"" + name + "\" has a malformed map");
    }
    for (int i = 0; i < numbers.length; i += 2) {
      map.add(new TarHeader.Fragment(parseSparseNumber(name, numbers[i]),
          parseSparseNumber(name, numbers[i + 1])));
    }
    return map;
  }

  /** Format 1.0 keeps the map at the start of the data: decimal lines, padded to a block. */
  private List<TarHeader.Fragment> sparseMapFromData(String name) throws IOException {
    long start = remaining;
    long count = parseSparseNumber(name, dataLine(name));
    if (count > MAX_FRAGMENTS) {
      throw new TarFormatException("sparse entry \"" + name + "\" has too many fragments");
    }
    List<TarHeader.Fragment> map = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      long offset = parseSparseNumber(name, dataLine(name));
      long length = parseSparseNumber(name, dataLine(name));
      map.add(new TarHeader.Fragment(offset, length));
    }
    long used = start - remaining;
    long pad = padding(used);
    if (pad > remaining) {
      throw new TarFormatException("sparse entry \"" + name + "\" has a malformed map");
    }
    skipFully(pad);
    remaining -= pad;
    return map;
  }

  private String dataLine(String name) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (remaining <= 0 || line.length() > 20) {
        throw new TarFormatException("sparse entry \"" + name + "\" has a malformed map");
      }
      int b = in.read();
      if (b < 0) {
        throw new TarFormatException("the archive ends in the sparse map of " + name);
      }
      remaining--;
      if (b == '\n') {
        return line.toString();
      }
      line.append((char) b);
    }
  }

  private static long parseSparseNumber(String name, String text) throws TarFormatException {
    try {
      long n = Long.parseLong(text);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new TarFormatException("sparse entry \"" + name + "\" has a malformed map");
    }
  }

  /** Fragments in order, not overlapping, inside the file, and exactly the data there is. */
  private void checkSparse(String name, List<TarHeader.Fragment> map, long fileSize)
      throws TarFormatException {
    long end = 0;
    long total = 0;
    for (TarHeader.Fragment f : map) {
      if (f.offset() < end || f.offset() + f.length() < f.offset()
          || f.offset() + f.length() > fileSize) {
        throw new TarFormatException("sparse entry \"" + name + "\" has an invalid map");
      }
      end = f.offset() + f.length();
      total += f.length();
    }
    if (total != remaining) {
      throw new TarFormatException("sparse entry \"" + name + "\" holds " + remaining
          + " bytes of data but its map describes " + total);
    }
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
      if (key.equals("GNU.sparse.offset") || key.equals("GNU.sparse.numbytes")) {
        // sparse format 0.0 repeats these keys; join them into a 0.1-style map, as Go does
        byte[] previous = records.get("GNU.sparse.map");
        String joined = (previous == null ? "" : new String(previous, StandardCharsets.US_ASCII)
            + ",") + new String(value, StandardCharsets.US_ASCII);
        records.put("GNU.sparse.map", joined.getBytes(StandardCharsets.US_ASCII));
      } else {
        records.put(key, value);
      }
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

  private static FileTime seconds(long seconds) throws TarFormatException {
    try {
      return FileTime.from(Instant.ofEpochSecond(seconds));
    } catch (java.time.DateTimeException e) {
      throw new TarFormatException("a tar header has a modification time out of range");
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
