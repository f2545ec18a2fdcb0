package io.zlayer.adapters.sandbox.store;

import io.zlayer.domain.error.ImageFormatException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Entry names of image archives: the safe, normalised form, and where links point. */
final class ArchiveEntryNames {
  private ArchiveEntryNames() {}

  /**
   * {@code ./blobs//sha256/x} becomes {@code blobs/sha256/x}; absolute names and names with a
   * {@code ..} segment are rejected, as docker load and containers/image do.
   */
  static String safe(String raw, Path archive) throws ImageFormatException {
    if (raw.startsWith("/") || raw.matches("^[A-Za-z]:[/\\\\].*") || raw.contains("\0")) {
      throw unsafe(raw, archive);
    }
    StringBuilder out = new StringBuilder();
    for (String segment : raw.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw unsafe(raw, archive);
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment);
    }
    return out.toString();
  }

  /**
   * The entry a link points at. A symbolic link's target is relative to the link's directory
   * (containers/image writes {@code <id>/layer.tar -> ../<digest>.tar}); a hard link's is
   * relative to the archive root. Targets must stay inside the archive.
   */
  static String linkTarget(String linkName, String target, boolean symbolic, Path archive)
      throws ImageFormatException {
    Deque<String> parts = new ArrayDeque<>();
    if (symbolic && !target.startsWith("/")) {
      String[] dirs = linkName.split("/");
      for (int i = 0; i < dirs.length - 1; i++) {
        parts.addLast(dirs[i]);
      }
    }
    for (String segment : target.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (parts.isEmpty()) {
          throw new ImageFormatException("image archive " + archive + ": link \"" + linkName
              + "\" points outside the archive (" + target + ")");
        }
        parts.removeLast();
      } else {
        parts.addLast(segment);
      }
    }
    return String.join("/", parts);
  }

  private static ImageFormatException unsafe(String raw, Path archive) {
    return new ImageFormatException("image archive " + archive + " has an unsafe entry name \""
        + raw + "\" (absolute or with ..)");
  }
}
