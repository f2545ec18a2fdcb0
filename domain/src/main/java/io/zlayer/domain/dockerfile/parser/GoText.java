package io.zlayer.domain.dockerfile.parser;

import java.io.ByteArrayOutputStream;

/**
 * Text with Go's string semantics. BuildKit's parser works on UTF-8 bytes: some steps decode
 * runes (an invalid byte becomes U+FFFD), others look at single bytes. To reproduce both on a Java
 * String, the parser keeps its text in a canonical form where every byte that is not part of a
 * valid UTF-8 sequence is one char in U+DC80..U+DCFF ("surrogate escape"), so a canonical String
 * maps one-to-one onto the bytes BuildKit would see.
 */
final class GoText {
  static final int RUNE_ERROR = 0xFFFD;
  private static final char ESCAPE_BASE = 0xDC00;

  private GoText() {}

  /** Decodes UTF-8 like Go: each byte of an invalid sequence becomes one escape char. */
  static String decode(byte[] bytes, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      int b0 = bytes[i] & 0xFF;
      if (b0 < 0x80) {
        sb.append((char) b0);
        i++;
        continue;
      }
      int width = validSequenceLength(bytes, i, to);
      if (width == 0) {
        sb.append((char) (ESCAPE_BASE + b0));
        i++;
        continue;
      }
      int cp;
      if (width == 2) {
        cp = ((b0 & 0x1F) << 6) | (bytes[i + 1] & 0x3F);
      } else if (width == 3) {
        cp = ((b0 & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F);
      } else {
        cp = ((b0 & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12)
            | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F);
      }
      sb.appendCodePoint(cp);
      i += width;
    }
    return sb.toString();
  }

  static String decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Length of the valid UTF-8 sequence at {@code i} (Go's acceptance rules), or 0. */
  private static int validSequenceLength(byte[] b, int i, int to) {
    int b0 = b[i] & 0xFF;
    int need;
    int lo = 0x80;
    int hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 3;
      if (b0 == 0xE0) {
        lo = 0xA0;
      } else if (b0 == 0xED) {
        hi = 0x9F;
      }
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 4;
      if (b0 == 0xF0) {
        lo = 0x90;
      } else if (b0 == 0xF4) {
        hi = 0x8F;
      }
    } else {
      return 0;
    }
    if (i + need > to) {
      return 0;
    }
    int b1 = b[i + 1] & 0xFF;
    if (b1 < lo || b1 > hi) {
      return 0;
    }
    for (int k = 2; k < need; k++) {
      int bk = b[i + k] & 0xFF;
      if (bk < 0x80 || bk > 0xBF) {
        return 0;
      }
    }
    return need;
  }

  /**
   * The canonical form of a Java String: valid text unchanged, a lone surrogate replaced by the
   * escape chars of its three WTF-8 bytes (what Go would see if such bytes were in a file).
   */
  static String canonical(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i += 2;
      } else if (Character.isSurrogate(c)) {
        break;
      } else {
        i++;
      }
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n + 8);
    sb.append(s, 0, i);
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(i + 1));
        i += 2;
      } else if (Character.isSurrogate(c)) {
        sb.append((char) (ESCAPE_BASE + (0xE0 | (c >> 12))));
        sb.append((char) (ESCAPE_BASE + (0x80 | ((c >> 6) & 0x3F))));
        sb.append((char) (ESCAPE_BASE + (0x80 | (c & 0x3F))));
        i++;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  /** True for a char standing for one raw byte (0x80..0xFF) of invalid UTF-8. */
  static boolean isByteEscape(char c) {
    return c >= 0xDC80 && c <= 0xDCFF;
  }

  /** The UTF-8 bytes a canonical String stands for. */
  static byte[] toBytes(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.write(c);
        i++;
      } else if (isByteEscape(c)) {
        out.write(c - ESCAPE_BASE);
        i++;
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        writeUtf8(out, Character.toCodePoint(c, s.charAt(i + 1)));
        i += 2;
      } else {
        // a lone surrogate outside the escape range: its WTF-8 bytes
        writeUtf8(out, c);
        i++;
      }
    }
    return out.toByteArray();
  }

  private static void writeUtf8(ByteArrayOutputStream out, int cp) {
    if (cp < 0x80) {
      out.write(cp);
    } else if (cp < 0x800) {
      out.write(0xC0 | (cp >> 6));
      out.write(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out.write(0xE0 | (cp >> 12));
      out.write(0x80 | ((cp >> 6) & 0x3F));
      out.write(0x80 | (cp & 0x3F));
    } else {
      out.write(0xF0 | (cp >> 18));
      out.write(0x80 | ((cp >> 12) & 0x3F));
      out.write(0x80 | ((cp >> 6) & 0x3F));
      out.write(0x80 | (cp & 0x3F));
    }
  }

  /** Number of UTF-8 bytes of a canonical String. */
  static int byteLength(String s) {
    int len = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c < 0x80 || isByteEscape(c)) {
        len++;
        i++;
      } else if (c < 0x800) {
        len += 2;
        i++;
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        len += 4;
        i += 2;
      } else {
        len += 3;
        i++;
      }
    }
    return len;
  }

  /**
   * The rune Go decodes at index {@code i}: a code point, or {@link #RUNE_ERROR} for an invalid
   * byte. Its width in chars is {@link #runeWidth}.
   */
  static int runeAt(String s, int i) {
    char c = s.charAt(i);
    if (!Character.isSurrogate(c)) {
      return c;
    }
    if (Character.isHighSurrogate(c) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1))) {
      return Character.toCodePoint(c, s.charAt(i + 1));
    }
    return RUNE_ERROR;
  }

  static int runeWidth(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1))) {
      return 2;
    }
    return 1;
  }

  /** Go's {@code unicode.IsSpace}. */
  static boolean isSpace(int r) {
    switch (r) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
          0x3000 -> {
        return true;
      }
      default -> {
        return r >= 0x2000 && r <= 0x200A;
      }
    }
  }

  /** Go's {@code strings.TrimSpace}. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end) {
      int r = runeAt(s, start);
      if (!isSpace(r)) {
        break;
      }
      start += runeWidth(s, start);
    }
    while (end > start) {
      int i = end - 1;
      if (i > start && Character.isLowSurrogate(s.charAt(i))
          && Character.isHighSurrogate(s.charAt(i - 1))) {
        i--;
      }
      if (!isSpace(runeAt(s, i))) {
        break;
      }
      end = i;
    }
    return s.substring(start, end);
  }

  /** Go's {@code strings.TrimLeftFunc(s, unicode.IsSpace)}. */
  static String trimLeftSpace(String s) {
    int start = 0;
    while (start < s.length() && isSpace(runeAt(s, start))) {
      start += runeWidth(s, start);
    }
    return s.substring(start);
  }

  /** Go's {@code strings.ToLower}: per-rune simple lower-casing, invalid bytes become U+FFFD. */
  static String toLower(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      StringBuilder sb = null;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c >= 'A' && c <= 'Z') {
          if (sb == null) {
            sb = new StringBuilder(s);
          }
          sb.setCharAt(i, (char) (c + 32));
        }
      }
      return sb == null ? s : sb.toString();
    }
    StringBuilder sb = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      int r = runeAt(s, i);
      i += runeWidth(s, i);
      sb.appendCodePoint(r == RUNE_ERROR ? RUNE_ERROR : Character.toLowerCase(r));
    }
    return sb.toString();
  }

  /** Go's {@code regexp.MustCompile(`[\t\v\f\r ]+`)}: the whitespace BuildKit splits on. */
  static boolean isSplitSpace(char c) {
    return c == '\t' || c == 0x0B || c == '\f' || c == '\r' || c == ' ';
  }

  /**
   * Go's {@code reWhitespace.Split(s, n)} for n = 2 (limit) or n = -1 (all), reproducing Go's
   * handling of a separator at the start and the end.
   */
  static java.util.List<String> splitWhitespace(String s, int n) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (s.isEmpty()) {
      out.add("");
      return out;
    }
    int beg = 0;
    int end = 0;
    int i = 0;
    int found = 0;
    while (i < s.length()) {
      if (!isSplitSpace(s.charAt(i))) {
        i++;
        continue;
      }
      int matchStart = i;
      while (i < s.length() && isSplitSpace(s.charAt(i))) {
        i++;
      }
      found++;
      if (n > 0 && out.size() == n - 1) {
        break;
      }
      end = matchStart;
      if (i != 0) {
        out.add(s.substring(beg, end));
      }
      beg = i;
      if (n > 0 && found == n) {
        break;
      }
    }
    if (end != s.length()) {
      out.add(s.substring(beg));
    }
    return out;
  }
}
