package io.zlayer.domain.dockerfile.ignore;

import java.util.Objects;

/**
 * One compiled {@code .dockerignore} pattern, as moby/patternmatcher builds it: the cleaned
 * pattern text, whether it is an exception ({@code !pattern}), and how it matches a
 * slash-separated path relative to the context root.
 *
 * <p>Matching follows patternmatcher exactly. The glob becomes a Go regular expression: {@code *}
 * is {@code [^/]*}, {@code ?} is {@code [^/]}, {@code **} (with a following {@code /} eaten)
 * is {@code (.*&#47;)?}, or {@code .*} at the end; {@code [...]} and {@code \x} reach the
 * regexp unchanged. Patterns that are a plain literal, a literal followed by {@code **}, or
 * {@code **} followed by a literal are compared as strings (exact, prefix, suffix), exactly as
 * patternmatcher's shortcuts do, including their quirks ({@code **foo} matches {@code barfoo}).
 */
public final class IgnorePattern {

  private enum MatchType {
    EXACT,
    PREFIX,
    SUFFIX,
    REGEXP
  }

  private final String pattern;
  private final boolean exception;
  private final int line;
  private final MatchType type;
  private final String regexpText;
  private final GoRegexp regexp;

  private IgnorePattern(String pattern, boolean exception, int line, MatchType type,
      String regexpText, GoRegexp regexp) {
    this.pattern = pattern;
    this.exception = exception;
    this.line = line;
    this.type = type;
    this.regexpText = regexpText;
    this.regexp = regexp;
  }

  /**
   * Compiles a cleaned pattern (without its {@code !}); {@code detail} of the exception says
   * what is wrong.
   */
  static IgnorePattern compile(String pattern, boolean exception, int line)
      throws GoRegexp.SyntaxException {
    String globProblem = globSyntaxProblem(pattern);
    if (globProblem != null) {
      throw new GoRegexp.SyntaxException(globProblem);
    }
    StringBuilder re = new StringBuilder("^");
    MatchType type = MatchType.EXACT;
    int[] cp = pattern.codePoints().toArray();
    // Go's text/scanner, which patternmatcher reads the pattern with, drops a leading BOM
    int pos = cp.length > 0 && cp[0] == 0xFEFF ? 1 : 0;
    for (int iteration = 0; pos < cp.length; iteration++) {
      int ch = cp[pos++];
      if (ch == '*') {
        if (pos < cp.length && cp[pos] == '*') {
          pos++;
          if (pos < cp.length && cp[pos] == '/') {
            pos++;
          }
          if (pos == cp.length) {
            if (type == MatchType.EXACT) {
              type = MatchType.PREFIX;
            } else {
              re.append(".*");
              type = MatchType.REGEXP;
            }
          } else {
            re.append("(.*/)?");
            type = MatchType.REGEXP;
          }
          if (iteration == 0) {
            type = MatchType.SUFFIX;
          }
        } else {
          re.append("[^/]*");
          type = MatchType.REGEXP;
        }
      } else if (ch == '?') {
        re.append("[^/]");
        type = MatchType.REGEXP;
      } else if (ch < 0x80 && ".+()|{}$".indexOf(ch) >= 0) {
        re.append('\\').appendCodePoint(ch);
      } else if (ch == '\\') {
        if (pos < cp.length) {
          re.append('\\').appendCodePoint(cp[pos++]);
          type = MatchType.REGEXP;
        } else {
          re.append('\\');
        }
      } else if (ch == '[' || ch == ']') {
        re.appendCodePoint(ch);
        type = MatchType.REGEXP;
      } else {
        re.appendCodePoint(ch);
      }
    }
    if (type != MatchType.REGEXP) {
      return new IgnorePattern(pattern, exception, line, type, null, null);
    }
    re.append('$');
    String text = re.toString();
    return new IgnorePattern(pattern, exception, line, type, text, GoRegexp.compile(text));
  }

  /** The cleaned pattern, without the leading {@code !} of an exception. */
  public String pattern() {
    return pattern;
  }

  /** True for {@code !pattern}: a path it matches is included again. */
  public boolean isException() {
    return exception;
  }

  /** The 1-based line in the ignore file, or the 1-based position in a pattern list. */
  public int line() {
    return line;
  }

  /** Whether this single pattern matches {@code path} itself (no parent directories). */
  public boolean matches(String path) {
    switch (type) {
      case EXACT:
        return path.equals(pattern);
      case PREFIX:
        return path.startsWith(pattern.substring(0, pattern.length() - 2));
      case SUFFIX: {
        String suffix = pattern.substring(2);
        if (path.endsWith(suffix)) {
          return true;
        }
        return suffix.charAt(0) == '/' && path.equals(suffix.substring(1));
      }
      default:
        return regexp.matches(path);
    }
  }

  /** The Go regexp patternmatcher would compile, or null for the string-comparison shortcuts. */
  String regexpText() {
    return regexpText;
  }

  /**
   * fsutil's {@code patternWithoutTrailingGlob}: the pattern without a trailing {@code /**} or
   * {@code /*}, used to decide whether an exception can reach into a directory.
   */
  String withoutTrailingGlob() {
    String s = pattern;
    if (s.endsWith("/**")) {
      s = s.substring(0, s.length() - 3);
    }
    if (s.endsWith("/*")) {
      s = s.substring(0, s.length() - 2);
    }
    return s;
  }

  @Override
  public String toString() {
    return exception ? "!" + pattern : pattern;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IgnorePattern other && other.pattern.equals(pattern)
        && other.exception == exception && other.line == line;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern, exception, line);
  }

  // ---------------------------------------------------------------------------------------------
  // Go's filepath.Match syntax check (patternmatcher calls Match(pattern, ".") for its error)

  private static String globSyntaxProblem(String pattern) {
    String rest = pattern;
    while (!rest.isEmpty()) {
      int i = 0;
      while (i < rest.length() && rest.charAt(i) == '*') {
        i++;
      }
      rest = rest.substring(i);
      int end = chunkEnd(rest);
      String problem = chunkProblem(rest.substring(0, end));
      if (problem != null) {
        return problem;
      }
      rest = rest.substring(end);
    }
    return null;
  }

  /** Go's scanChunk: the chunk runs to the next {@code *} outside brackets. */
  private static int chunkEnd(String s) {
    boolean inRange = false;
    int i;
    for (i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < s.length()) {
          i++;
        }
      } else if (c == '[') {
        inRange = true;
      } else if (c == ']') {
        inRange = false;
      } else if (c == '*' && !inRange) {
        break;
      }
    }
    return i;
  }

  /** Go's matchChunk run only for its errors. */
  private static String chunkProblem(String chunk) {
    int i = 0;
    int n = chunk.length();
    while (i < n) {
      char c = chunk.charAt(i);
      if (c == '[') {
        int classStart = i;
        i++;
        if (i < n && chunk.charAt(i) == '^') {
          i++;
        }
        int ranges = 0;
        while (true) {
          if (i < n && chunk.charAt(i) == ']' && ranges > 0) {
            i++;
            break;
          }
          int lo = classCharEnd(chunk, i);
          if (lo < 0) {
            return badClass(chunk, classStart);
          }
          i = lo;
          if (chunk.charAt(i) == '-') {
            int hi = classCharEnd(chunk, i + 1);
            if (hi < 0) {
              return badClass(chunk, classStart);
            }
            i = hi;
          }
          ranges++;
        }
      } else if (c == '\\') {
        if (i + 1 >= n) {
          return "syntax error in pattern: trailing backslash";
        }
        i += 2;
      } else {
        i++;
      }
    }
    return null;
  }

  /**
   * Go's getEsc: one class character (possibly escaped) at {@code i}; the index after it, or -1
   * when it is missing, an unescaped {@code -} or {@code ]}, or the last thing in the chunk.
   */
  private static int classCharEnd(String chunk, int i) {
    int n = chunk.length();
    if (i >= n || chunk.charAt(i) == '-' || chunk.charAt(i) == ']') {
      return -1;
    }
    if (chunk.charAt(i) == '\\') {
      i++;
      if (i >= n) {
        return -1;
      }
    }
    i += Character.charCount(chunk.codePointAt(i));
    return i >= n ? -1 : i;
  }

  private static String badClass(String chunk, int classStart) {
    return "syntax error in pattern: malformed character class at \""
        + chunk.substring(classStart) + "\"";
  }
}
