package io.zlayer.domain.dockerfile.shell;

import java.util.Arrays;

/**
 * A shell wildcard pattern of {@code ${V#p}}, {@code ${V%p}} and {@code ${V/p/r}}: {@code ?} is
 * one character, {@code *} any run of characters, {@code \*}, {@code \?} and {@code \\} are
 * literal, and every other character is itself (no bracket expressions).
 *
 * <p>BuildKit converts such a pattern to a Go regular expression ({@code .} for {@code ?},
 * {@code .*} or {@code .*?} for {@code *}) and runs Go's leftmost-first matcher. This class
 * matches the same language with the same preferences, but by dynamic programming over
 * (pattern position, text position), so that patterns with many stars cannot backtrack
 * exponentially. As in Go without the {@code s} flag, wildcards never match a newline.
 */
final class ShellPattern {
  private static final int EOF = -1;
  private static final int LITERAL = 0;
  private static final int ANY = 1;
  private static final int STAR = 2;

  private final int[] kinds;
  private final int[] literals;
  private final boolean greedy;
  private final boolean anchored;
  private final String regex;

  private ShellPattern(int[] kinds, int[] literals, boolean greedy, boolean anchored,
      String regex) {
    this.kinds = kinds;
    this.literals = literals;
    this.greedy = greedy;
    this.anchored = anchored;
    this.regex = regex;
  }

  /** A pattern that uses an escape other than {@code \*}, {@code \?}, {@code \\}. */
  static final class InvalidPatternException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidPatternException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Compiles a pattern as BuildKit's {@code convertShellPatternToRegex}.
   *
   * @param greedy whether {@code *} prefers the longest run
   * @param anchored whether a match must start at the beginning of the text
   */
  static ShellPattern compile(String pattern, boolean greedy, boolean anchored)
      throws InvalidPatternException {
    int[] cps = pattern.codePoints().toArray();
    int pos = 0;
    // BuildKit reads the pattern with a fresh Go text/scanner, which drops a leading BOM.
    if (cps.length > 0 && cps[0] == 0xFEFF) {
      pos = 1;
    }
    int[] kinds = new int[cps.length];
    int[] literals = new int[cps.length];
    int count = 0;
    StringBuilder regex = new StringBuilder(cps.length + 4);
    if (anchored) {
      regex.append('^');
    }
    while (pos < cps.length) {
      int tok = cps[pos++];
      switch (tok) {
        case '*' -> {
          kinds[count++] = STAR;
          regex.append(greedy ? ".*" : ".*?");
          continue;
        }
        case '?' -> {
          kinds[count++] = ANY;
          regex.append('.');
          continue;
        }
        case '\\' -> {
          int peek = pos < cps.length ? cps[pos] : EOF;
          if (peek == '}' || peek == '/') {
            // \} and \/ protect the character from ending ${...}; the backslash is not part
            // of the pattern.
            continue;
          }
          regex.append('\\');
          tok = pos < cps.length ? cps[pos++] : EOF;
          if (tok != '*' && tok != '?' && tok != '\\') {
            throw new InvalidPatternException("invalid escape '\\" + GoText.runeString(tok) + "'");
          }
        }
        case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$' -> regex.append('\\');
        default -> {
        }
      }
      kinds[count] = LITERAL;
      literals[count++] = tok;
      regex.appendCodePoint(tok);
    }
    return new ShellPattern(Arrays.copyOf(kinds, count), Arrays.copyOf(literals, count), greedy,
        anchored, regex.toString());
  }

  /** The Go regular expression BuildKit would compile for this pattern. */
  String regex() {
    return regex;
  }

  /**
   * For every start position {@code p} in {@code 0..text.length}, the end of the match that Go's
   * leftmost-first matcher prefers among matches starting at {@code p}, or -1 when none does.
   */
  private int[] matchEnds(int[] text) {
    int n = text.length;
    // next = the row for the pattern suffix after atom i, cur = the row for atom i onwards.
    int[] next = new int[n + 1];
    for (int p = 0; p <= n; p++) {
      next[p] = p;
    }
    int[] cur = new int[n + 1];
    for (int i = kinds.length - 1; i >= 0; i--) {
      int kind = kinds[i];
      for (int p = n; p >= 0; p--) {
        boolean canTake = p < n && text[p] != '\n';
        switch (kind) {
          case LITERAL -> cur[p] = p < n && text[p] == literals[i] ? next[p + 1] : -1;
          case ANY -> cur[p] = canTake ? next[p + 1] : -1;
          default -> {
            int take = canTake ? cur[p + 1] : -1;
            int stop = next[p];
            if (greedy) {
              cur[p] = take >= 0 ? take : stop;
            } else {
              cur[p] = stop >= 0 ? stop : take;
            }
          }
        }
      }
      int[] swap = next;
      next = cur;
      cur = swap;
    }
    return next;
  }

  /** The end of the preferred match at the start of the text, or -1 (anchored patterns). */
  int matchPrefix(int[] text) {
    return matchEnds(text)[0];
  }

  /** Go's {@code FindStringIndex}: the leftmost preferred match as {start, end}, or null. */
  int[] find(int[] text) {
    int[] ends = matchEnds(text);
    int last = anchored ? 0 : text.length;
    for (int s = 0; s <= last; s++) {
      if (ends[s] >= 0) {
        return new int[] {s, ends[s]};
      }
    }
    return null;
  }

  /** Replaces the leftmost match with the literal replacement. */
  String replaceFirst(String value, String replacement) {
    int[] text = value.codePoints().toArray();
    int[] match = find(text);
    if (match == null) {
      return value;
    }
    return new StringBuilder()
        .append(new String(text, 0, match[0]))
        .append(replacement)
        .append(new String(text, match[1], text.length - match[1]))
        .toString();
  }

  /**
   * Go's {@code Regexp.ReplaceAllString}: replaces every non-overlapping match, skipping an empty
   * match right after a previous match, and expands {@code $} templates in the replacement.
   */
  String replaceAll(String value, String template) {
    int[] text = value.codePoints().toArray();
    int n = text.length;
    int[] ends = matchEnds(text);
    int last = anchored ? 0 : n;
    StringBuilder out = new StringBuilder();
    int lastMatchEnd = 0;
    int searchPos = 0;
    while (searchPos <= n) {
      int start = -1;
      for (int s = searchPos; s <= last; s++) {
        if (ends[s] >= 0) {
          start = s;
          break;
        }
      }
      if (start < 0) {
        break;
      }
      int end = ends[start];
      out.append(new String(text, lastMatchEnd, start - lastMatchEnd));
      if (end > lastMatchEnd || start == 0) {
        expandTemplate(out, template, new String(text, start, end - start));
      }
      lastMatchEnd = end;
      int width = searchPos < n ? 1 : 0;
      if (searchPos + width > end) {
        searchPos += width;
      } else if (searchPos + 1 > end) {
        searchPos++;
      } else {
        searchPos = end;
      }
    }
    out.append(new String(text, lastMatchEnd, n - lastMatchEnd));
    return out.toString();
  }

  /**
   * Go's {@code Regexp.Expand} for a regular expression without groups: {@code $$} is a dollar,
   * {@code $0} and {@code ${0}} the whole match, any other {@code $name} or {@code ${name}}
   * nothing, and a {@code $} not followed by a name stays.
   */
  private static void expandTemplate(StringBuilder out, String template, String match) {
    int len = template.length();
    int i = 0;
    while (true) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < len && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      int j = i;
      boolean brace = j < len && template.charAt(j) == '{';
      if (brace) {
        j++;
      }
      int nameStart = j;
      while (j < len) {
        int cp = template.codePointAt(j);
        if (!GoText.isLetter(cp) && !GoText.isDigit(cp) && cp != '_') {
          break;
        }
        j += Character.charCount(cp);
      }
      if (j == nameStart || (brace && (j >= len || template.charAt(j) != '}'))) {
        out.append('$');
        continue;
      }
      if (j - nameStart == 1 && template.charAt(nameStart) == '0') {
        out.append(match);
      }
      i = brace ? j + 1 : j;
    }
    out.append(template, i, len);
  }
}
