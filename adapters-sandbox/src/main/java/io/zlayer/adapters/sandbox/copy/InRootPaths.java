package io.zlayer.adapters.sandbox.copy;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Follows symlinks inside a root the way containerd's {@code fs.RootPath} does: ".." never
 * climbs above the root, an absolute link target starts again at the root, components that do
 * not exist are kept. The root can be a subdirectory of the tree (archives extract with their
 * destination as root).
 */
final class InRootPaths {
  static final int MAX_LINKS = 255;

  private InRootPaths() {}

  /** What resolution needs from a tree: lstat and readlink of root-relative paths. */
  interface Lookup {
    /** Whether the entry is a symlink; empty when nothing is there. */
    Optional<Boolean> isSymlink(String path) throws IOException;

    String readLink(String path) throws IOException;
  }

  static Lookup of(SourceView view) {
    return new Lookup() {
      @Override
      public Optional<Boolean> isSymlink(String path) throws IOException {
        return view.stat(path).map(e -> e.metadata().isSymlink());
      }

      @Override
      public String readLink(String path) throws IOException {
        return view.readLink(view.stat(path).orElseThrow());
      }
    };
  }

  /**
   * Resolves {@code path} (relative to {@code root}, itself root-relative and resolved) to a
   * root-relative path below {@code root} with no symlink among its parents, nor at its end
   * when {@code followFinal}.
   */
  static String resolve(Lookup tree, String root, String path, boolean followFinal)
      throws IOException {
    Deque<String> pending = new ArrayDeque<>(split(path));
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String c = pending.pollFirst();
      if (c.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      if (pending.isEmpty() && !followFinal) {
        resolved.add(c);
        break;
      }
      String candidate = GoPaths.join(GoPaths.join(root, String.join("/", resolved)), c);
      if (tree.isSymlink(candidate).orElse(false)) {
        if (++links > MAX_LINKS) {
          throw new FileSystemLoopException(GoPaths.display(GoPaths.join(root,
              GoPaths.rootRelative(path))));
        }
        String target = tree.readLink(candidate);
        if (target.startsWith("/")) {
          resolved.clear();
        }
        List<String> parts = split(target);
        for (int i = parts.size() - 1; i >= 0; i--) {
          pending.addFirst(parts.get(i));
        }
        continue;
      }
      resolved.add(c);
    }
    return GoPaths.join(root, String.join("/", resolved));
  }

  private static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        parts.add(c);
      }
    }
    return parts;
  }
}
