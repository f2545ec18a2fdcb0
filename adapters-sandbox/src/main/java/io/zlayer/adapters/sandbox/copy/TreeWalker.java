package io.zlayer.adapters.sandbox.copy;

import io.zlayer.domain.dockerfile.ignore.DockerIgnore;
import io.zlayer.domain.dockerfile.ignore.IgnoreDecision;
import io.zlayer.domain.dockerfile.ignore.IgnorePattern;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks what one COPY source selects, the way BuildKit's copier (fsutil) does: the source itself
 * always, then its content in name order, filtered by include patterns ({@code --parents}) and
 * exclude patterns ({@code --exclude}) matched against paths relative to the source. A directory
 * that is not selected itself but holds something selected is reported just before that thing,
 * so it gets created as the parent.
 */
final class TreeWalker {
  /** What the walk reports, in order; paths are relative to the walked source ("" for it). */
  interface Visitor {
    void enterDirectory(String relative, SourceEntry directory) throws IOException, CopyFailure;

    void leaveDirectory(String relative, SourceEntry directory) throws IOException, CopyFailure;

    void leaf(String relative, SourceEntry entry) throws IOException, CopyFailure;
  }

  private final SourceView view;
  private final Optional<DockerIgnore> include;
  private final List<List<String>> includeLiterals;
  private final boolean includeHasExceptions;
  private final Optional<DockerIgnore> exclude;
  private final Set<String> skippedTopNames;

  /**
   * @param view the tree walked (null for a walker of single files, which never list anything)
   * @param include {@code --parents} patterns: only what they match (and its parents) is reported
   * @param exclude {@code --exclude} patterns
   * @param skippedTopNames names left out directly below the top ({@code .git} of a checkout)
   */
  TreeWalker(SourceView view, Optional<DockerIgnore> include, Optional<DockerIgnore> exclude,
      Set<String> skippedTopNames) {
    this.view = view;
    this.include = include;
    this.exclude = exclude;
    this.skippedTopNames = Set.copyOf(skippedTopNames);
    List<List<String>> literals = new ArrayList<>();
    boolean exceptions = false;
    for (IgnorePattern p : include.map(DockerIgnore::patterns).orElse(List.of())) {
      exceptions |= p.isException();
      literals.add(literalPrefix(p.pattern()));
    }
    this.includeLiterals = List.copyOf(literals);
    this.includeHasExceptions = exceptions;
  }

  SourceView view() {
    return view;
  }

  private static final class Pending {
    final String relative;
    final SourceEntry entry;
    boolean entered;

    Pending(String relative, SourceEntry entry) {
      this.relative = relative;
      this.entry = entry;
    }
  }

  void walk(SourceEntry top, Visitor visitor) throws IOException, CopyFailure {
    if (!top.isDirectory()) {
      visitor.leaf("", top);
      return;
    }
    visitor.enterDirectory("", top);
    IgnoreDecision incRoot = include.map(DockerIgnore::root).orElse(null);
    IgnoreDecision excRoot = exclude.map(DockerIgnore::root).orElse(null);
    children(top, "", incRoot, excRoot, new ArrayList<>(), visitor);
    visitor.leaveDirectory("", top);
  }

  private void children(SourceEntry dir, String relative, IgnoreDecision inc,
      IgnoreDecision exc, List<Pending> pending, Visitor visitor)
      throws IOException, CopyFailure {
    if (Thread.currentThread().isInterrupted()) {
      throw new java.io.InterruptedIOException("interrupted");
    }
    for (SourceEntry child : view.list(dir)) {
      if (relative.isEmpty() && skippedTopNames.contains(child.name())) {
        continue;
      }
      String rel = GoPaths.join(relative, child.name());
      boolean directory = child.isDirectory();
      IgnoreDecision incChild = include.isPresent()
          ? include.get().decide(inc, rel, directory) : null;
      IgnoreDecision excChild = exclude.isPresent()
          ? exclude.get().decide(exc, rel, directory) : null;
      boolean included = (incChild == null || incChild.excluded())
          && (excChild == null || !excChild.excluded());
      if (!directory) {
        if (included && !child.metadata().type().equals(
            io.zlayer.adapters.sandbox.layer.FileType.SOCKET)) {
          flush(pending, visitor);
          visitor.leaf(rel, child);
        }
        continue;
      }
      if (included) {
        flush(pending, visitor);
        visitor.enterDirectory(rel, child);
        children(child, rel, incChild, excChild, pending, visitor);
        visitor.leaveDirectory(rel, child);
        continue;
      }
      if (excChild != null && excChild.excluded() && excChild.skipDirectory()) {
        continue;
      }
      if (incChild != null && !incChild.excluded() && !includeMayMatchBelow(rel)) {
        continue;
      }
      Pending p = new Pending(rel, child);
      pending.add(p);
      children(child, rel, incChild, excChild, pending, visitor);
      pending.remove(pending.size() - 1);
      if (p.entered) {
        visitor.leaveDirectory(rel, child);
      }
    }
  }

  private static void flush(List<Pending> pending, Visitor visitor)
      throws IOException, CopyFailure {
    for (Pending p : pending) {
      if (!p.entered) {
        p.entered = true;
        visitor.enterDirectory(p.relative, p.entry);
      }
    }
  }

  /** Whether an include pattern can match something below the directory {@code relative}. */
  private boolean includeMayMatchBelow(String relative) {
    if (includeHasExceptions) {
      return true;
    }
    List<String> dir = GoPaths.components(relative);
    for (List<String> literal : includeLiterals) {
      boolean compatible = true;
      int common = Math.min(dir.size(), literal.size() - 1);
      for (int i = 0; i < common && compatible; i++) {
        compatible = dir.get(i).equals(literal.get(i));
      }
      boolean wildcardTail = literal.get(literal.size() - 1) == null;
      if (compatible && (wildcardTail || dir.size() < literal.size() - 1)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The literal leading components of a pattern, then a marker: null when a component with a
   * wildcard follows (anything deeper may match), "" when the pattern was all literal.
   */
  private static List<String> literalPrefix(String pattern) {
    List<String> out = new ArrayList<>();
    for (String c : GoPaths.components(GoPaths.rootRelative(pattern))) {
      if (GoGlob.containsWildcards(c) || c.contains("\\")) {
        out.add(null);
        return out;
      }
      out.add(c);
    }
    out.add("");
    return out;
  }
}
