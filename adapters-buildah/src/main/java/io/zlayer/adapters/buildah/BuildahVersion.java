package io.zlayer.adapters.buildah;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A buildah release number, as {@code buildah version} prints it ({@code 1.28.2}). */
public record BuildahVersion(int major, int minor, int patch) implements Comparable<BuildahVersion> {
  /** The oldest buildah this backend supports. */
  public static final BuildahVersion MINIMUM = new BuildahVersion(1, 28, 0);

  private static final Pattern JSON_VERSION =
      Pattern.compile("\"version\"\\s*:\\s*\"v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
  private static final Pattern TEXT_VERSION =
      Pattern.compile("(?i)\\bversion:?\\s+v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /** Reads the version from {@code buildah version --json} or {@code buildah --version} output. */
  public static Optional<BuildahVersion> parse(String output) {
    Matcher m = JSON_VERSION.matcher(output);
    if (!m.find()) {
      m = TEXT_VERSION.matcher(output);
      if (!m.find()) {
        return Optional.empty();
      }
    }
    return Optional.of(new BuildahVersion(Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
  }

  public boolean isSupported() {
    return compareTo(MINIMUM) >= 0;
  }

  @Override
  public int compareTo(BuildahVersion o) {
    if (major != o.major) {
      return Integer.compare(major, o.major);
    }
    if (minor != o.minor) {
      return Integer.compare(minor, o.minor);
    }
    return Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
