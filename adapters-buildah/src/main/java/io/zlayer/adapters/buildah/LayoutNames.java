package io.zlayer.adapters.buildah;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * buildah 1.28 names an image it pulls from {@code oci:DIR} {@code localhost/DIR:latest}, so the
 * directory's path has to be a valid repository name (lower case, no {@code +}, components that
 * start and end with a letter or digit).
 */
final class LayoutNames {
  private static final Pattern COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

  private LayoutNames() {}

  static boolean isUsable(Path dir) {
    String path = dir.toAbsolutePath().normalize().toString();
    if (path.equals("/") || path.length() > 200) {
      return false;
    }
    for (String component : path.substring(1).split("/")) {
      if (!COMPONENT.matcher(component).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The name buildah gives an image pulled from the OCI layout in {@code dir}. */
  static String pulledName(Path dir) {
    return "localhost" + dir.toAbsolutePath().normalize() + ":latest";
  }
}
