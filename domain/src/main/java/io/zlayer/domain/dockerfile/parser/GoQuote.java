package io.zlayer.domain.dockerfile.parser;

import java.util.List;

/**
 * Go's {@code strconv.Quote} (and {@code fmt}'s {@code %q}), byte for byte: printable runes are
 * kept as they are (non-ASCII included), {@code \a \b \f \n \r \t \v \\ \"} use their short
 * escapes, other control characters {@code \xNN}, other non-printable runes
 * <code>&#92;uNNNN</code> or {@code \UNNNNNNNN}, and each byte of invalid UTF-8 {@code \xNN}.
 *
 * <p>Strings are read as the parser's canonical text (see {@link GoText}): a char in
 * U+DC80..U+DCFF that is not half of a surrogate pair stands for one raw byte; any other lone
 * surrogate stands for its three WTF-8 bytes, which Go would also see as invalid.
 */
public final class GoQuote {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoQuote() {}

  /** {@code strconv.Quote(s)}. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendQuoted(sb, s);
    return sb.toString();
  }

  /** {@code fmt.Sprintf("%q", list)} for a {@code []string}: {@code ["a" "b"]}. */
  public static String quoteList(List<String> list) {
    StringBuilder sb = new StringBuilder();
    appendQuotedList(sb, list);
    return sb.toString();
  }

  static void appendQuotedList(StringBuilder sb, List<String> list) {
    sb.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      appendQuoted(sb, list.get(i));
    }
    sb.append(']');
  }

  static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        appendRune(sb, Character.toCodePoint(c, s.charAt(i + 1)));
        i += 2;
      } else if (GoText.isByteEscape(c)) {
        appendByte(sb, c - 0xDC00);
        i++;
      } else if (Character.isSurrogate(c)) {
        appendByte(sb, 0xE0 | (c >> 12));
        appendByte(sb, 0x80 | ((c >> 6) & 0x3F));
        appendByte(sb, 0x80 | (c & 0x3F));
        i++;
      } else {
        appendRune(sb, c);
        i++;
      }
    }
    sb.append('"');
  }

  private static void appendByte(StringBuilder sb, int b) {
    sb.append('\\').append('x').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
  }

  private static void appendRune(StringBuilder sb, int r) {
    if (r == '"' || r == '\\') {
      sb.append('\\').append((char) r);
      return;
    }
    if (isPrint(r)) {
      sb.appendCodePoint(r);
      return;
    }
    switch (r) {
      case 0x07 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 0x0B -> sb.append("\\v");
      default -> {
        if (r < ' ' || r == 0x7F) {
          appendByte(sb, r);
        } else if (r < 0x10000) {
          sb.append("\\u");
          for (int shift = 12; shift >= 0; shift -= 4) {
            sb.append(HEX[(r >> shift) & 0xF]);
          }
        } else {
          sb.append("\\U");
          for (int shift = 28; shift >= 0; shift -= 4) {
            sb.append(HEX[(r >> shift) & 0xF]);
          }
        }
      }
    }
  }

  /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols, ASCII space. */
  static boolean isPrint(int r) {
    if (r == ' ') {
      return true;
    }
    switch (Character.getType(r)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER,
          Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }
}
