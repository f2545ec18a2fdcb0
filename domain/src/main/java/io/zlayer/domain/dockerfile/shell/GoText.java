package io.zlayer.domain.dockerfile.shell;

/**
 * Character classes and string quoting as Go's {@code unicode} and {@code strconv} packages
 * define them, so that splitting, names and error messages match BuildKit.
 */
final class GoText {
  private GoText() {}

  /** Go's {@code unicode.IsSpace}. Unlike {@link Character#isWhitespace} it includes NBSP. */
  static boolean isSpace(int r) {
    if (r <= 0xFF) {
      return r == '\t' || r == '\n' || r == 0x0B || r == '\f' || r == '\r' || r == ' '
          || r == 0x85 || r == 0xA0;
    }
    return r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029
        || r == 0x202F || r == 0x205F || r == 0x3000;
  }

  /** Go's {@code unicode.IsDigit}: category Nd. */
  static boolean isDigit(int r) {
    if (r <= 0xFF) {
      return r >= '0' && r <= '9';
    }
    return Character.getType(r) == Character.DECIMAL_DIGIT_NUMBER;
  }

  /** Go's {@code unicode.IsLetter}: category L. */
  static boolean isLetter(int r) {
    return Character.isLetter(r);
  }

  /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols, ASCII space. */
  static boolean isPrint(int r) {
    if (r <= 0xFF) {
      return (r >= 0x20 && r <= 0x7E) || (r >= 0xA1 && r != 0xAD);
    }
    switch (Character.getType(r)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
      case Character.NON_SPACING_MARK:
      case Character.ENCLOSING_MARK:
      case Character.COMBINING_SPACING_MARK:
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
      case Character.MATH_SYMBOL:
      case Character.CURRENCY_SYMBOL:
      case Character.MODIFIER_SYMBOL:
      case Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }

  /**
   * The text of one Go rune, as Go's {@code string(r)}: the scanner's EOF (-1) and other
   * invalid runes become U+FFFD.
   */
  static String runeString(int r) {
    if (r < 0 || r > Character.MAX_CODE_POINT) {
      return "\uFFFD";
    }
    return new String(Character.toChars(r));
  }

  /** Go's {@code strconv.Quote} (the {@code %q} verb) of a string. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(r -> appendEscapedRune(sb, r));
    return sb.append('"').toString();
  }

  private static void appendEscapedRune(StringBuilder sb, int r) {
    if (r == '"' || r == '\\') {
      sb.append('\\').appendCodePoint(r);
      return;
    }
    if (Character.isSurrogate((char) r) && r <= 0xFFFF) {
      // A lone surrogate has no UTF-8 form; Go shows an invalid rune as U+FFFD.
      sb.append("\\ufffd");
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
          sb.append(String.format("\\x%02x", r));
        } else if (r < 0x10000) {
          sb.append(String.format("\\u%04x", r));
        } else {
          sb.append(String.format("\\U%08x", r));
        }
      }
    }
  }
}
