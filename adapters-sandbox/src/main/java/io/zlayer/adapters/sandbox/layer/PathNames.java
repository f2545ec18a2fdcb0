package io.zlayer.adapters.sandbox.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * Root-relative paths as zlayer's layer code passes them around: components joined by '/', no
 * leading or trailing slash, no "." or ".." components, and "" for the root itself.
 */
final class PathNames {
  private PathNames() {}

  /**
   * Cleans a path the way Go's {@code path.Clean} does and makes it relative: "." and empty
   * components go, ".." removes the component before it. A ".." at the start of an absolute
   * path stays at the root; at the start of a relative one it escapes, and this returns null.
   */
  static String clean(String name) {
    boolean rooted = name.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String c : name.split("/", -1)) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        } else if (!rooted) {
          return null;
        }
        continue;
      }
      out.add(c);
    }
    return String.join("/", out);
  }

  /** Splits a clean path into its components (none for the root). */
  static List<String> components(String clean) {
    return clean.isEmpty() ? List.of() : List.of(clean.split("/"));
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

  static String parent(String clean) {
    int slash = clean.lastIndexOf('/');
    return slash < 0 ? "" : clean.substring(0, slash);
  }

  static String base(String clean) {
    return clean.substring(clean.lastIndexOf('/') + 1);
  }

  /** Whether {@code path} is {@code ancestor} or lies below it. */
  static boolean isWithin(String path, String ancestor) {
    return ancestor.isEmpty() || path.equals(ancestor) || path.startsWith(ancestor + "/");
  }

  /** The form used in messages: absolute, as the container sees it. */
  static String display(String clean) {
    return "/" + clean;
  }
}
