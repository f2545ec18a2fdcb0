package io.zlayer.domain.dockerfile.ignore;

/**
 * What a build-context walker should do with one entry, from {@link DockerIgnore#decide}. Pass
 * a directory's decision as the parent of its entries: it carries which patterns matched the
 * directory, so they need not be checked again below it (patternmatcher's {@code MatchInfo}).
 */
public final class IgnoreDecision {
  private final boolean excluded;
  private final boolean skipDirectory;
  private final boolean[] matched;

  IgnoreDecision(boolean excluded, boolean skipDirectory, boolean[] matched) {
    this.excluded = excluded;
    this.skipDirectory = skipDirectory;
    this.matched = matched;
  }

  /**
   * True when the entry is not sent. An excluded directory may still be walked (see {@link
   * #skipDirectory()}); if something below it is included, the walker sends the directory too,
   * as fsutil does, so the included path has its parents.
   */
  public boolean excluded() {
    return excluded;
  }

  /**
   * True when nothing below this directory can be included, so the walker need not descend.
   * False for files and for directories that are included or that an exception may reach into.
   */
  public boolean skipDirectory() {
    return skipDirectory;
  }

  /** Per pattern: did it match this entry (or a parent)? Empty for the root (no information). */
  boolean[] matched() {
    return matched;
  }

  @Override
  public String toString() {
    return "IgnoreDecision[excluded=" + excluded + ", skipDirectory=" + skipDirectory + "]";
  }
}
