package io.zlayer.domain.dockerfile.ignore;

/** Go's {@code path/filepath.Clean} and {@code Dir} for slash-separated (Unix) paths. */
final class SlashPaths {
  private SlashPaths() {}

  /**
   * The shortest equivalent path: repeated slashes collapsed, {@code .} elements removed,
   * {@code ..} resolved against the element before it (kept at the start of relative paths,
   * dropped at the root of absolute ones); {@code "."} for an empty result.
   */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    int n = path.length();
    StringBuilder out = new StringBuilder(n);
    int r = 0;
    int dotdot = 0;
    if (rooted) {
      out.append('/');
      r = 1;
      dotdot = 1;
    }
    while (r < n) {
      char c = path.charAt(r);
      if (c == '/') {
        r++;
      } else if (c == '.' && (r + 1 == n || path.charAt(r + 1) == '/')) {
        r++;
      } else if (c == '.' && path.charAt(r + 1) == '.'
          && (r + 2 == n || path.charAt(r + 2) == '/')) {
        r += 2;
        if (out.length() > dotdot) {
          int w = out.length() - 1;
          while (w > dotdot && out.charAt(w) != '/') {
            w--;
          }
          out.setLength(w);
        } else if (!rooted) {
          if (out.length() > 0) {
            out.append('/');
          }
          out.append("..");
          dotdot = out.length();
        }
      } else {
        if ((rooted && out.length() != 1) || (!rooted && out.length() != 0)) {
          out.append('/');
        }
        for (; r < n && path.charAt(r) != '/'; r++) {
          out.append(path.charAt(r));
        }
      }
    }
    return out.length() == 0 ? "." : out.toString();
  }

  /** Everything but the last element, cleaned; {@code "."} when there is no slash. */
  static String dir(String path) {
    int i = path.lastIndexOf('/');
    return clean(path.substring(0, i + 1));
  }
}
