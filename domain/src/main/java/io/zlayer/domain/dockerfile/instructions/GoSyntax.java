package io.zlayer.domain.dockerfile.instructions;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The few Go standard-library behaviours BuildKit's error texts and value checks depend on:
 * {@code %q} quoting, {@code strconv} integer/bool/float syntax and go-units sizes.
 */
final class GoSyntax {
  private static final Pattern DECIMAL_FLOAT =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern HEX_FLOAT =
      Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+(\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");
  private static final Pattern SPECIAL_FLOAT =
      Pattern.compile("[+-]?(inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

  private GoSyntax() {}

  /** Go's {@code strconv.Quote} ({@code %q}, {@code %#v} of a string). */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x0B -> sb.append("\\v");
        default -> {
          if (isPrint(cp)) {
            sb.appendCodePoint(cp);
          } else if (cp < 0x80) {
            sb.append(String.format("\\x%02x", cp));
          } else if (Character.isSurrogate((char) cp)) {
            sb.append("\\ufffd");
          } else if (cp < 0x10000) {
            sb.append(String.format("\\u%04x", cp));
          } else {
            sb.append(String.format("\\U%08x", cp));
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols, ASCII space. */
  private static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.SURROGATE,
          Character.PRIVATE_USE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }

  /** The quoting of Go's {@code time} package errors: non-ASCII bytes as {@code \xNN}. */
  static String timeQuote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x80 || c < ' ') {
        sb.append(String.format("\\x%02x", c));
      } else {
        if (c == '"' || c == '\\') {
          sb.append('\\');
        }
        sb.append((char) c);
      }
    }
    return sb.append('"').toString();
  }

  /**
   * {@code strconv.ParseUint(s, base, bits)} for bases 8 and 10: digits only, no sign, no
   * prefix or underscores. Empty when the text is not such a number or does not fit.
   */
  static OptionalLong parseUnsigned(String s, int base, int bits) {
    if (s.isEmpty()) {
      return OptionalLong.empty();
    }
    long max = bits >= 64 ? Long.MAX_VALUE : (1L << bits) - 1;
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      int d = Character.digit(s.charAt(i), base);
      if (d < 0 || s.charAt(i) > 0x7f) {
        return OptionalLong.empty();
      }
      value = value * base + d;
      if (value > max) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(value);
  }

  /** Whether {@code s} is a syntactically valid (possibly out-of-range) base-10 integer. */
  static boolean isDecimalInteger(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code strconv.ParseBool}; empty for anything else. */
  static java.util.Optional<Boolean> parseBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> java.util.Optional.of(true);
      case "0", "f", "F", "FALSE", "false", "False" -> java.util.Optional.of(false);
      default -> java.util.Optional.empty();
    };
  }

  /**
   * go-units {@code RAMInBytes}: a number with an optional binary suffix (k, m, g, t, p; with
   * an optional {@code b} or {@code ib}; case-insensitive), e.g. {@code 64m}, {@code 1.5GiB}.
   * Empty when invalid or negative.
   */
  static OptionalLong ramInBytes(String size) {
    int sep = -1;
    for (int i = size.length() - 1; i >= 0; i--) {
      char c = size.charAt(i);
      if ((c >= '0' && c <= '9') || c == '.' || c == ' ') {
        sep = i;
        break;
      }
    }
    if (sep < 0) {
      return OptionalLong.empty();
    }
    String num = size.charAt(sep) == ' ' ? size.substring(0, sep) : size.substring(0, sep + 1);
    String suffix = size.substring(sep + 1);
    double value;
    if (DECIMAL_FLOAT.matcher(num).matches()) {
      value = Double.parseDouble(num);
    } else if (HEX_FLOAT.matcher(num).matches()) {
      value = Double.parseDouble(num);
    } else if (SPECIAL_FLOAT.matcher(num).matches()) {
      value = num.toLowerCase(Locale.ROOT).contains("nan") ? Double.NaN
          : num.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    } else {
      return OptionalLong.empty();
    }
    if (value < 0) {
      return OptionalLong.empty();
    }
    if (suffix.isEmpty()) {
      return OptionalLong.of((long) value);
    }
    if (suffix.length() > 3) {
      return OptionalLong.empty();
    }
    String sfx = suffix.toLowerCase(Locale.ROOT);
    if (sfx.charAt(0) == 'b') {
      return sfx.length() == 1 ? OptionalLong.of((long) value) : OptionalLong.empty();
    }
    int power = "kmgtp".indexOf(sfx.charAt(0)) + 1;
    if (power == 0) {
      return OptionalLong.empty();
    }
    if ((sfx.length() == 2 && sfx.charAt(1) != 'b')
        || (sfx.length() == 3 && !sfx.substring(1).equals("ib"))) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((long) (value * Math.pow(1024, power)));
  }

  /** Go's {@code strings.TrimSpace}: trims {@code unicode.IsSpace} characters. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isSpace(char c) {
    return switch (c) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0 -> true;
      default -> c > 0xff && Character.isSpaceChar(c);
    };
  }
}
