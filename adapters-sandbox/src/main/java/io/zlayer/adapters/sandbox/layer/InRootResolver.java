package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a path inside a root filesystem the way Go's {@code securejoin.SecureJoin} and
 * containerd's {@code fs.RootPath} do: symlinks are followed, but ".." never climbs above the
 * root and absolute link targets start again at the root. Components that do not exist are
 * kept as they are. More than 255 links on one path is an error.
 */
final class InRootResolver {
  static final int MAX_LINKS = 255;

  /** What the resolver needs to know about the tree it walks. */
  interface Tree {
    /** The entry at a clean path whose parents are already resolved; lstat semantics. */
    Optional<FileMetadata> stat(String path) throws IOException;

    /** The target of the symlink at a clean, resolved path. */
    String readLink(String path) throws IOException;
  }

  private InRootResolver() {}

  /**
   * Resolves {@code path} (absolute or relative, both from the root) to a clean root-relative
   * path with no symlink among its parents, and none at the end when {@code followFinal}.
   */
  static String resolve(Tree tree, String path, boolean followFinal) throws IOException {
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
      String candidate = PathNames.join(String.join("/", resolved), c);
      Optional<FileMetadata> m = tree.stat(candidate);
      if (m.isPresent() && m.get().isSymlink()) {
        if (++links > MAX_LINKS) {
          throw new FileSystemLoopException(PathNames.display(PathNames.clean("/" + path)));
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
    return String.join("/", resolved);
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
