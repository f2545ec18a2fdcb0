package io.zlayer.domain.dockerfile.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * The exec-form test of BuildKit's {@code parseJSON}: Go's {@code json.Unmarshal} of the
 * arguments into {@code []interface{}}, then a check that every element is a string.
 *
 * <p>Reproduces Go's decoder where it decides between "not JSON" (BuildKit falls back to the
 * shell form) and "JSON but not all strings" (an error): the exact grammar, whitespace, the
 * nesting limit of 10000, numbers that overflow a float64, and string unescaping (invalid UTF-8
 * and lone surrogate escapes become U+FFFD).
 */
final class JsonStringArray {
  private static final int MAX_DEPTH = 10000;

  /** The outcome of the test. */
  sealed interface Outcome permits NotJson, NotAllStrings, Strings {}

  /** Not a JSON array (BuildKit uses the shell form). */
  record NotJson() implements Outcome {}

  /** A JSON array with an element that is not a string (BuildKit reports an error). */
  record NotAllStrings() implements Outcome {}

  /** A JSON array of strings. */
  record Strings(List<String> values) implements Outcome {}

  private final String s;
  private int pos;

  private JsonStringArray(String s) {
    this.s = s;
  }

  /** Tests {@code text} (BuildKit has already trimmed its left and checked the {@code [}). */
  static Outcome parse(String text) {
    return new JsonStringArray(text).run();
  }

  private Outcome run() {
    List<String> top = new ArrayList<>();
    boolean allStrings = true;
    // the container stack: '[' or '{' per level; depth 1 is the top-level array
    char[] stack = new char[16];
    int depth = 0;
    skipSpace();
    if (pos >= s.length() || s.charAt(pos) != '[') {
      return new NotJson();
    }
    pos++;
    stack[depth++] = '[';
    // expecting: a value or ']' right after '[', a key or '}' right after '{'
    boolean afterOpen = true;
    while (depth > 0) {
      char container = stack[depth - 1];
      skipSpace();
      if (pos >= s.length()) {
        return new NotJson();
      }
      char c = s.charAt(pos);
      if (afterOpen && ((container == '[' && c == ']') || (container == '{' && c == '}'))) {
        pos++;
        depth--;
        afterOpen = false;
        continue;
      }
      if (!afterOpen) {
        // after a value: ',' or the closing bracket
        if (c == ',') {
          pos++;
          skipSpace();
        } else if ((container == '[' && c == ']') || (container == '{' && c == '}')) {
          pos++;
          depth--;
          continue;
        } else {
          return new NotJson();
        }
      }
      afterOpen = false;
      if (container == '{') {
        if (pos >= s.length() || s.charAt(pos) != '"' || readString(null) < 0) {
          return new NotJson();
        }
        skipSpace();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          return new NotJson();
        }
        pos++;
        skipSpace();
      }
      if (pos >= s.length()) {
        return new NotJson();
      }
      c = s.charAt(pos);
      boolean topLevelElement = depth == 1;
      if (c == '[' || c == '{') {
        if (depth >= MAX_DEPTH) {
          return new NotJson();
        }
        if (depth == stack.length) {
          stack = java.util.Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = c;
        pos++;
        afterOpen = true;
        if (topLevelElement) {
          allStrings = false;
        }
      } else if (c == '"') {
        StringBuilder value = topLevelElement ? new StringBuilder() : null;
        if (readString(value) < 0) {
          return new NotJson();
        }
        if (value != null) {
          top.add(value.toString());
        }
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!readNumber()) {
          return new NotJson();
        }
        if (topLevelElement) {
          allStrings = false;
        }
      } else if (!readLiteral("true") && !readLiteral("false") && !readLiteral("null")) {
        return new NotJson();
      } else if (topLevelElement) {
        allStrings = false;
      }
    }
    skipSpace();
    if (pos != s.length()) {
      return new NotJson();
    }
    return allStrings ? new Strings(List.copyOf(top)) : new NotAllStrings();
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private boolean readLiteral(String word) {
    if (s.startsWith(word, pos)) {
      pos += word.length();
      return true;
    }
    return false;
  }

  /** A JSON number; false on a syntax error or a float64 overflow (Go's decode error). */
  private boolean readNumber() {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    if (pos >= s.length()) {
      return false;
    }
    char c = s.charAt(pos);
    if (c == '0') {
      pos++;
    } else if (c >= '1' && c <= '9') {
      pos++;
      skipDigits();
    } else {
      return false;
    }
    if (pos < s.length() && s.charAt(pos) == '.') {
      pos++;
      if (!digitAt(pos)) {
        return false;
      }
      skipDigits();
    }
    if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      if (!digitAt(pos)) {
        return false;
      }
      skipDigits();
    }
    return !Double.isInfinite(Double.parseDouble(s.substring(start, pos)));
  }

  private boolean digitAt(int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  private void skipDigits() {
    while (digitAt(pos)) {
      pos++;
    }
  }

  /**
   * Reads the string literal at {@code pos} (on the opening quote), appending its decoded value
   * to {@code out} when not null. Returns -1 on a syntax error.
   */
  private int readString(StringBuilder out) {
    pos++;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '"') {
        pos++;
        return 0;
      }
      if (c < 0x20) {
        return -1;
      }
      if (c == '\\') {
        if (pos + 1 >= s.length()) {
          return -1;
        }
        char e = s.charAt(pos + 1);
        switch (e) {
          case '"', '\\', '/' -> append(out, e);
          case 'b' -> append(out, '\b');
          case 'f' -> append(out, '\f');
          case 'n' -> append(out, '\n');
          case 'r' -> append(out, '\r');
          case 't' -> append(out, '\t');
          case 'u' -> {
            int r = hex4(pos + 2);
            if (r < 0) {
              return -1;
            }
            if (r >= 0xD800 && r < 0xE000) {
              int r2 = pos + 7 < s.length() && s.charAt(pos + 6) == '\\' && s.charAt(pos + 7) == 'u'
                  ? hex4(pos + 8) : -1;
              if (r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000) {
                if (out != null) {
                  out.appendCodePoint(Character.toCodePoint((char) r, (char) r2));
                }
                pos += 12;
                continue;
              }
              r = GoText.RUNE_ERROR;
            }
            if (out != null) {
              out.appendCodePoint(r);
            }
            pos += 6;
            continue;
          }
          default -> {
            return -1;
          }
        }
        pos += 2;
        continue;
      }
      if (Character.isHighSurrogate(c) && pos + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(pos + 1))) {
        if (out != null) {
          out.append(c).append(s.charAt(pos + 1));
        }
        pos += 2;
        continue;
      }
      if (Character.isSurrogate(c)) {
        // a raw invalid byte inside a string: Go's decoder writes U+FFFD
        append(out, (char) GoText.RUNE_ERROR);
      } else {
        append(out, c);
      }
      pos++;
    }
    return -1;
  }

  private static void append(StringBuilder out, char c) {
    if (out != null) {
      out.append(c);
    }
  }

  private int hex4(int at) {
    if (at + 4 > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = at; i < at + 4; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0 || s.charAt(i) > 'f') {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
