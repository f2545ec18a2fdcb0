package io.zlayer.domain.build;

/**
 * Go's {@code path.Clean} and {@code filepath.Join} on slash-separated paths, and BuildKit's
 * {@code system.NormalizePath} for Unix targets, which decide working directories, COPY
 * destinations and mount targets.
 */
final class GoPath {
  private GoPath() {}

  /** {@code path.Clean}: the shortest equivalent path, "." for an empty one. */
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
        while (r < n && path.charAt(r) != '/') {
          out.append(path.charAt(r));
          r++;
        }
      }
    }
    return out.length() == 0 ? "." : out.toString();
  }

  /** {@code filepath.Join}: the non-empty elements joined by slashes and cleaned. */
  static String join(String... elements) {
    StringBuilder sb = new StringBuilder();
    for (String e : elements) {
      if (e.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(e);
    }
    return sb.length() == 0 ? "" : clean(sb.toString());
  }

  static boolean isAbsolute(String path) {
    return path.startsWith("/");
  }

  /**
   * BuildKit's {@code NormalizePath} for Unix: a relative {@code path} is joined to {@code
   * parent} (and cleaned), an absolute one is kept as written; with {@code keepSlash} a trailing
   * {@code /} or {@code /.} of the input survives.
   */
  static String normalize(String parent, String path, boolean keepSlash) {
    String original = path;
    if (parent.isEmpty()) {
      parent = "/";
    }
    if (!isAbsolute(parent)) {
      parent = join("/", parent);
    }
    if (path.isEmpty()) {
      path = parent;
    }
    if (!isAbsolute(path)) {
      path = join(parent, path);
    }
    if (keepSlash) {
      if (original.endsWith("/") && !path.endsWith("/")) {
        path += "/";
      } else if (original.endsWith("/.")) {
        if (!path.equals("/")) {
          path += "/";
        }
        path += ".";
      }
    }
    return path;
  }

  /** BuildKit's {@code NormalizeWorkdir}: the new working directory after {@code WORKDIR wd}. */
  static String workdir(String current, String wd) {
    return normalize(current, wd, false);
  }

  /**
   * BuildKit's {@code pathRelativeToWorkingDir}: a COPY/ADD destination resolved against the
   * working directory, trailing slash kept ({@code .} and the empty path mean the directory).
   */
  static String destination(String workdir, String dest) {
    if (isAbsolute(dest)) {
      return normalize("/", dest, true);
    }
    if (dest.equals(".") || dest.isEmpty()) {
      dest = "./";
    }
    return normalize(workdir, dest, true);
  }
}
