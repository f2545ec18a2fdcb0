package io.zlayer.adapters.sandbox.copy;

import java.util.ArrayList;
import java.util.List;

/**
 * Slash-separated paths the way Go's {@code path} package handles them, and the root-relative
 * form the layer code uses: components joined by '/', no leading or trailing slash, "" for the
 * root.
 */
final class GoPaths {
  private GoPaths() {}

  /** Go's {@code path.Clean}. */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String c : path.split("/", -1)) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
        } else if (!rooted) {
          out.add("..");
        }
        continue;
      }
      out.add(c);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** {@code path} cleaned as if it started at the root, without the leading slash ("" = root). */
  static String rootRelative(String path) {
    return clean("/" + path).substring(1);
  }

  static String join(String parent, String name) {
    if (parent.isEmpty()) {
      return name;
    }
    if (name.isEmpty()) {
      return parent;
    }
    return parent + "/" + name;
  }

  /** The parent of a root-relative path ("" for top-level names and the root). */
  static String parent(String relative) {
    int slash = relative.lastIndexOf('/');
    return slash < 0 ? "" : relative.substring(0, slash);
  }

  /** The last component of a root-relative path. */
  static String base(String relative) {
    return relative.substring(relative.lastIndexOf('/') + 1);
  }

  static List<String> components(String relative) {
    return relative.isEmpty() ? List.of() : List.of(relative.split("/"));
  }

  /** Whether {@code path} is {@code ancestor} or lies below it (root-relative forms). */
  static boolean isWithin(String path, String ancestor) {
    return ancestor.isEmpty() || path.equals(ancestor) || path.startsWith(ancestor + "/");
  }

  /** How messages show a root-relative path: absolute. */
  static String display(String relative) {
    return "/" + relative;
  }
}
