package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A read-only view of layer directories stacked the way overlayfs stacks lowerdirs (top first):
 * the top-most entry of a name wins, a whiteout device hides the name in the layers below, a
 * directory merges with the directories of the same name below it until an opaque one or a
 * non-directory. Nothing is cached: the view always shows the directories as they are now.
 *
 * <p>{@link #lookup} is lexical (a symlink among the parents means "not found");
 * {@link #resolve} follows symlinks the way a process in the container would, but confined to
 * the root.
 */
public final class LayerStack implements InRootResolver.Tree {
  private final List<Path> layers;

  private LayerStack(List<Path> layers) {
    this.layers = List.copyOf(layers);
  }

  /** A stack of layer directories, the top (most recent) first. */
  public static LayerStack of(List<Path> topFirst) {
    return new LayerStack(topFirst);
  }

  public static LayerStack empty() {
    return new LayerStack(List.of());
  }

  public List<Path> layers() {
    return layers;
  }

  /** This stack with {@code layer} on top of it. */
  public LayerStack withTop(Path layer) {
    List<Path> all = new ArrayList<>();
    all.add(layer);
    all.addAll(layers);
    return new LayerStack(all);
  }

  /** The entry at {@code path} ("/a/b" or "a/b"; "/" is the root), symlinks not followed. */
  public Optional<StackEntry> lookup(String path) throws IOException {
    String clean = PathNames.clean("/" + path);
    Found found = find(clean);
    return found == null ? Optional.empty() : Optional.of(found.entry);
  }

  /** The metadata {@link #lookup} finds; for the in-root resolver. */
  @Override
  public Optional<FileMetadata> stat(String path) throws IOException {
    return lookup(path).map(StackEntry::metadata);
  }

  /** The target of the symlink at {@code path} (not followed). */
  @Override
  public String readLink(String path) throws IOException {
    Optional<StackEntry> e = lookup(path);
    if (e.isEmpty() || !e.get().metadata().isSymlink()) {
      throw new NoSuchFileException(PathNames.display(path), null, "not a symlink");
    }
    return Files.readSymbolicLink(e.get().realPath()).toString();
  }

  /** The merged listing of a directory, sorted by the bytes of the names. */
  public List<StackEntry> list(String dir) throws IOException {
    String clean = PathNames.clean("/" + dir);
    Found found = find(clean);
    if (found == null) {
      throw new NoSuchFileException(PathNames.display(clean));
    }
    if (!found.entry.metadata().isDirectory()) {
      throw new NotDirectoryException(PathNames.display(clean));
    }
    TreeMap<String, StackEntry> seen = new TreeMap<>();
    java.util.Set<String> hidden = new java.util.HashSet<>();
    for (Layered d : found.chain) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(d.path)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          if (seen.containsKey(name) || hidden.contains(name)) {
            continue;
          }
          FileMetadata m = FileMetadata.read(child);
          if (m.isWhiteout()) {
            hidden.add(name);
            continue;
          }
          seen.put(name, new StackEntry(PathNames.join(clean, name), child, d.layer, m));
        }
      }
    }
    List<StackEntry> entries = new ArrayList<>(seen.values());
    entries.sort((a, b) -> Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
        b.name().getBytes(StandardCharsets.UTF_8)));
    return entries;
  }

  /** Opens a regular file, following symlinks inside the root. */
  public InputStream readFile(String path) throws IOException {
    String resolved = resolve(path);
    Optional<StackEntry> e = lookup(resolved);
    if (e.isEmpty()) {
      throw new NoSuchFileException(PathNames.display(PathNames.clean("/" + path)));
    }
    if (!e.get().metadata().isRegular()) {
      throw new IOException(PathNames.display(PathNames.clean("/" + path))
          + " is not a regular file");
    }
    return Files.newInputStream(e.get().realPath(), LinkOption.NOFOLLOW_LINKS);
  }

  /** {@code path} with every symlink followed inside the root (the final one too). */
  public String resolve(String path) throws IOException {
    return InRootResolver.resolve(this, path, true);
  }

  /** {@code path} with the symlinks among its parents followed inside the root. */
  public String resolveParent(String path) throws IOException {
    return InRootResolver.resolve(this, path, false);
  }

  /** The entry a process in the container reaches at {@code path}, symlinks followed. */
  public Optional<StackEntry> lookupResolved(String path) throws IOException {
    return lookup(resolve(path));
  }

  private record Layered(int layer, Path path) {}

  private record Found(StackEntry entry, List<Layered> chain) {}

  /** Finds a clean path; the chain lists the directories merged into it, top first. */
  private Found find(String clean) throws IOException {
    if (layers.isEmpty()) {
      return null;
    }
    List<Layered> chain = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      chain.add(new Layered(i, layers.get(i)));
    }
    StackEntry entry = new StackEntry("", layers.get(0), 0, FileMetadata.read(layers.get(0)));
    String path = "";
    for (String c : PathNames.components(clean)) {
      if (!entry.metadata().isDirectory()) {
        return null;
      }
      path = PathNames.join(path, c);
      StackEntry top = null;
      List<Layered> next = new ArrayList<>();
      for (Layered d : chain) {
        Path p = d.path.resolve(c);
        Optional<FileMetadata> m = FileMetadata.readIfExists(p);
        if (m.isEmpty()) {
          continue;
        }
        if (top == null) {
          if (m.get().isWhiteout()) {
            return null;
          }
          top = new StackEntry(path, p, d.layer, m.get());
          if (!m.get().isDirectory()) {
            break;
          }
        } else if (!m.get().isDirectory()) {
          break; // a whiteout or a non-directory ends the merge
        }
        next.add(new Layered(d.layer, p));
        // opaqueness matters only when there are layers below to hide (and reading it costs)
        if (d.layer < layers.size() - 1 && OverlayFormat.isOpaque(p)) {
          break;
        }
      }
      if (top == null) {
        return null;
      }
      entry = top;
      chain = next;
    }
    return new Found(entry, chain);
  }
}
