package io.zlayer.adapters.sandbox.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only lookups in the filesystem a step will see, before it is mounted: a stack of overlay
 * layer directories (whiteouts are character devices 0/0, opaque directories carry {@code
 * user.overlay.opaque=y}) or a single flat rootfs.
 */
final class ImageTree {
  private static final int MAX_SYMLINKS = 255;
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;

  private final List<Path> layersTopFirst;
  private final boolean overlay;

  private ImageTree(List<Path> layersTopFirst, boolean overlay) {
    this.layersTopFirst = List.copyOf(layersTopFirst);
    this.overlay = overlay;
  }

  static ImageTree overlay(Path upper, List<Path> lowersTopFirst) {
    List<Path> layers = new ArrayList<>();
    layers.add(upper);
    layers.addAll(lowersTopFirst);
    return new ImageTree(layers, true);
  }

  /** Lower layers alone (no upper directory); an empty stack has only the root. */
  static ImageTree layers(List<Path> layersTopFirst) {
    return new ImageTree(layersTopFirst, true);
  }

  static ImageTree flat(Path rootfs) {
    return new ImageTree(List.of(rootfs), false);
  }

  boolean exists(String imagePath) throws IOException {
    return lookup(components(imagePath)).isPresent();
  }

  /**
   * The host path of the entry the merged view shows at {@code components} (a symlink-free
   * parent chain is assumed), without following a final symlink.
   */
  Optional<Path> lookup(List<String> components) throws IOException {
    if (components.isEmpty()) {
      return layersTopFirst.isEmpty() ? Optional.empty() : Optional.of(layersTopFirst.get(0));
    }
    for (Path layer : layersTopFirst) {
      Path current = layer;
      boolean lowerLayersHidden = false;
      for (int i = 0; i < components.size(); i++) {
        current = current.resolve(components.get(i));
        Map<String, Object> attributes;
        try {
          attributes = Files.readAttributes(current, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          break;
        }
        if (overlay && isWhiteout(attributes)) {
          return Optional.empty();
        }
        if (i == components.size() - 1) {
          return Optional.of(current);
        }
        if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
          // A non-directory where a parent should be: the path cannot exist below it either.
          return Optional.empty();
        }
        if (overlay && isOpaque(current)) {
          lowerLayersHidden = true;
        }
      }
      if (lowerLayersHidden) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Resolves every symlink in {@code imagePath} inside the image, as runc's securejoin does:
   * {@code ..} stops at the root, absolute link targets restart at the image root, and components
   * that do not exist are kept as written. Returns a clean absolute path.
   */
  String resolve(String imagePath) throws IOException {
    Deque<String> pending = new ArrayDeque<>(components(imagePath));
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.removeFirst();
      if (name.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      List<String> candidate = new ArrayList<>(resolved);
      candidate.add(name);
      Optional<Path> entry = lookup(candidate);
      if (entry.isPresent() && Files.isSymbolicLink(entry.get())) {
        if (++links > MAX_SYMLINKS) {
          throw new IOException("too many levels of symbolic links in " + imagePath);
        }
        String target = Files.readSymbolicLink(entry.get()).toString();
        List<String> targetParts = components(target);
        for (int i = targetParts.size() - 1; i >= 0; i--) {
          pending.addFirst(targetParts.get(i));
        }
        if (target.startsWith("/")) {
          resolved.clear();
        }
        continue;
      }
      resolved.add(name);
    }
    return "/" + String.join("/", resolved);
  }

  /** The path's non-empty components without {@code .}; {@code ..} is kept for the caller. */
  static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        out.add(part);
      }
    }
    return out;
  }

  static boolean isWhiteout(Map<String, Object> unixAttributes) {
    int mode = (Integer) unixAttributes.get("mode");
    long rdev = (Long) unixAttributes.get("rdev");
    return (mode & S_IFMT) == S_IFCHR && rdev == 0;
  }

  static boolean isWhiteout(Path path) throws IOException {
    try {
      return isWhiteout(Files.readAttributes(path, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  static boolean isOpaque(Path directory) throws IOException {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(directory, UserDefinedFileAttributeView.class);
    if (view == null || !view.list().contains("overlay.opaque")) {
      return false;
    }
    ByteBuffer value = ByteBuffer.allocate(view.size("overlay.opaque"));
    view.read("overlay.opaque", value);
    return value.position() == 1 && value.get(0) == 'y';
  }
}
