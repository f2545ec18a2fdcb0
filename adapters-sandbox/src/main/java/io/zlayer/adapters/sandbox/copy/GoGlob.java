package io.zlayer.adapters.sandbox.copy;

/**
 * Go's {@code filepath.Match} on Unix: {@code *} (any run of non-slash characters), {@code ?}
 * (one non-slash character), {@code [...]} classes with ranges and {@code ^} negation, and
 * {@code \} escapes. A malformed pattern matches nothing, as COPY ignores Match's error.
 */
final class GoGlob {
  private GoGlob() {}

  /** BuildKit's {@code containsWildcards}: an unescaped {@code *}, {@code ?} or {@code [}. */
  static boolean containsWildcards(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?' || c == '[') {
        return true;
      }
    }
    return false;
  }

  static boolean matches(String pattern, String name) {
    try {
      return match(pattern.codePoints().toArray(), name.codePoints().toArray());
    } catch (BadPattern e) {
      return false;
    }
  }

  private static final class BadPattern extends Exception {
    private static final long serialVersionUID = 1L;

    BadPattern() {
      super(null, null, false, false);
    }
  }

  /** A chunk: an optional leading star and the literal/class run up to the next star. */
  private record Chunk(boolean star, int[] chunk, int[] rest) {}

  private static boolean match(int[] pattern, int[] name) throws BadPattern {
    outer:
    while (pattern.length > 0) {
      Chunk c = scanChunk(pattern);
      pattern = c.rest;
      if (c.star && c.chunk.length == 0) {
        return indexOf(name, '/') < 0; // a trailing star matches the rest without a slash
      }
      int[] t = matchChunk(c.chunk, name);
      if (t != null && (t.length == 0 || pattern.length > 0)) {
        name = t;
        continue;
      }
      if (c.star) {
        for (int i = 0; i < name.length && name[i] != '/'; i++) {
          int[] after = matchChunk(c.chunk, slice(name, i + 1));
          if (after != null) {
            if (pattern.length == 0 && after.length > 0) {
              continue;
            }
            name = after;
            continue outer;
          }
        }
      }
      while (pattern.length > 0) { // the rest must still be a valid pattern
        Chunk r = scanChunk(pattern);
        pattern = r.rest;
        matchChunk(r.chunk, new int[0]);
      }
      return false;
    }
    return name.length == 0;
  }

  private static Chunk scanChunk(int[] pattern) {
    boolean star = false;
    int start = 0;
    while (start < pattern.length && pattern[start] == '*') {
      start++;
      star = true;
    }
    boolean inRange = false;
    int i = start;
    scan:
    for (; i < pattern.length; i++) {
      switch (pattern[i]) {
        case '\\':
          if (i + 1 < pattern.length) {
            i++;
          }
          break;
        case '[':
          inRange = true;
          break;
        case ']':
          inRange = false;
          break;
        case '*':
          if (!inRange) {
            break scan;
          }
          break;
        default:
          break;
      }
    }
    return new Chunk(star, java.util.Arrays.copyOfRange(pattern, start, i),
        slice(pattern, i));
  }

  /** Matches a chunk at the start of {@code s}: the rest of s, or null when it does not match. */
  private static int[] matchChunk(int[] chunk, int[] s) throws BadPattern {
    boolean failed = false;
    int ci = 0;
    int si = 0;
    while (ci < chunk.length) {
      if (!failed && si >= s.length) {
        failed = true;
      }
      switch (chunk[ci]) {
        case '[': {
          int r = 0;
          if (!failed) {
            r = s[si];
            si++;
          }
          ci++;
          boolean negated = false;
          if (ci < chunk.length && chunk[ci] == '^') {
            negated = true;
            ci++;
          }
          boolean matched = false;
          int n = 0;
          while (true) {
            if (ci < chunk.length && chunk[ci] == ']' && n > 0) {
              ci++;
              break;
            }
            int[] lo = getEsc(chunk, ci);
            ci = lo[1];
            int hi = lo[0];
            if (chunk[ci] == '-') {
              int[] h = getEsc(chunk, ci + 1);
              hi = h[0];
              ci = h[1];
            }
            if (lo[0] <= r && r <= hi) {
              matched = true;
            }
            n++;
          }
          if (matched == negated) {
            failed = true;
          }
          break;
        }
        case '?':
          if (!failed) {
            if (s[si] == '/') {
              failed = true;
            }
            si++;
          }
          ci++;
          break;
        case '\\':
          ci++;
          if (ci >= chunk.length) {
            throw new BadPattern();
          }
          if (!failed) {
            if (chunk[ci] != s[si]) {
              failed = true;
            }
            si++;
          }
          ci++;
          break;
        default:
          if (!failed) {
            if (chunk[ci] != s[si]) {
              failed = true;
            }
            si++;
          }
          ci++;
          break;
      }
    }
    return failed ? null : slice(s, si);
  }

  /** One possibly escaped character of a class: {value, next index}; the next must exist. */
  private static int[] getEsc(int[] chunk, int i) throws BadPattern {
    if (i >= chunk.length || chunk[i] == '-' || chunk[i] == ']') {
      throw new BadPattern();
    }
    if (chunk[i] == '\\') {
      i++;
      if (i >= chunk.length) {
        throw new BadPattern();
      }
    }
    int value = chunk[i];
    i++;
    if (i >= chunk.length) {
      throw new BadPattern();
    }
    return new int[] {value, i};
  }

  private static int[] slice(int[] a, int from) {
    return java.util.Arrays.copyOfRange(a, Math.min(from, a.length), a.length);
  }

  private static int indexOf(int[] a, int value) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
