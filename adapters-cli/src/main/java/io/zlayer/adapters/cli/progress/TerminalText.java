package io.zlayer.adapters.cli.progress;

/**
 * Text for a terminal: the cells a string occupies (wide East Asian characters take two,
 * combining marks none), cutting to a width, and making process output safe to draw (escape
 * sequences and control characters removed, so they cannot move the cursor of a live view).
 */
public final class TerminalText {
  private static final int TAB_WIDTH = 8;

  private TerminalText() {}

  /** Terminal cells one code point takes: 0, 1 or 2. */
  public static int cellWidth(int codePoint) {
    if (codePoint == 0x200B || codePoint == 0x200C || codePoint == 0x200D) {
      return 0;
    }
    int type = Character.getType(codePoint);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
        || type == Character.FORMAT) {
      return 0;
    }
    return isWide(codePoint) ? 2 : 1;
  }

  private static boolean isWide(int c) {
    return c >= 0x1100 && c <= 0x115F
        || c >= 0x2E80 && c <= 0xA4CF && c != 0x303F
        || c >= 0xAC00 && c <= 0xD7A3
        || c >= 0xF900 && c <= 0xFAFF
        || c >= 0xFE30 && c <= 0xFE4F
        || c >= 0xFF00 && c <= 0xFF60
        || c >= 0xFFE0 && c <= 0xFFE6
        || c >= 0x1F300 && c <= 0x1F64F
        || c >= 0x1F900 && c <= 0x1F9FF
        || c >= 0x20000 && c <= 0x3FFFD;
  }

  /** Cells the text occupies (it must hold no escape sequences). */
  public static int width(String text) {
    int cells = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      cells += cellWidth(cp);
      i += Character.charCount(cp);
    }
    return cells;
  }

  /** The longest prefix of {@code text} that fits in {@code cells} cells. */
  public static String cut(String text, int cells) {
    if (cells <= 0) {
      return "";
    }
    int used = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int w = cellWidth(cp);
      if (used + w > cells) {
        break;
      }
      used += w;
      i += Character.charCount(cp);
    }
    return text.substring(0, i);
  }

  /** {@code text} padded with spaces on the left to {@code cells} cells. */
  public static String padLeft(String text, int cells) {
    int missing = cells - width(text);
    return missing > 0 ? " ".repeat(missing) + text : text;
  }

  /**
   * A line a process printed, as a terminal would leave it: only what follows the last carriage
   * return (progress bars redraw with {@code \r}), tabs expanded, escape sequences (CSI, OSC and
   * two-character ones) and other control characters removed.
   */
  public static String sanitize(String line) {
    String text = line;
    int cr = text.lastIndexOf('\r');
    if (cr >= 0) {
      String after = text.substring(cr + 1);
      text = after.isEmpty() && cr > 0 ? lastSegment(text.substring(0, cr)) : after;
    }
    StringBuilder out = new StringBuilder(text.length());
    int column = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (cp == 0x1B) {
        i = skipEscape(text, next);
        continue;
      }
      if (cp == '\t') {
        int spaces = TAB_WIDTH - column % TAB_WIDTH;
        out.append(" ".repeat(spaces));
        column += spaces;
      } else if (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0)) {
        out.appendCodePoint(cp);
        column += cellWidth(cp);
      }
      i = next;
    }
    return out.toString();
  }

  private static String lastSegment(String text) {
    int cr = text.lastIndexOf('\r');
    return cr >= 0 ? text.substring(cr + 1) : text;
  }

  /** The index after the escape sequence whose ESC is just before {@code i}. */
  private static int skipEscape(String text, int i) {
    if (i >= text.length()) {
      return i;
    }
    char kind = text.charAt(i);
    if (kind == '[') {
      int j = i + 1;
      while (j < text.length() && (text.charAt(j) < 0x40 || text.charAt(j) > 0x7E)) {
        j++;
      }
      return Math.min(j + 1, text.length());
    }
    if (kind == ']') {
      int j = i + 1;
      while (j < text.length()) {
        char c = text.charAt(j);
        if (c == 0x07) {
          return j + 1;
        }
        if (c == 0x1B && j + 1 < text.length() && text.charAt(j + 1) == '\\') {
          return j + 2;
        }
        j++;
      }
      return j;
    }
    int j = i;
    while (j < text.length() && text.charAt(j) >= 0x20 && text.charAt(j) <= 0x2F) {
      j++;
    }
    return Math.min(j + 1, text.length());
  }
}
