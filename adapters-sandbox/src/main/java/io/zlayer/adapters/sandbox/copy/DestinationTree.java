package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.EntryAttributes;
import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.FileType;
import io.zlayer.adapters.sandbox.layer.LayerDirWriter;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.StackEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stage's filesystem as COPY writes it: an upper layer directory over the lower layers.
 * Where the destination lies is decided through the merged view ({@link LayerDirWriter} follows
 * symlinks inside the root and copies parents up); below it, entries are written directly into
 * directories this step made real in the upper directory, lexically: nothing the image has there
 * is ever followed, and nothing is written outside the upper directory.
 */
final class DestinationTree {
  private final Path upper;
  private final LayerStack lower;
  private final LayerDirWriter writer;
  private final LayerStack merged;
  private final Optional<Owner> chown;
  private final ModeChange mode;
  private final Optional<FileTime> timestamp;
  private final Map<String, FileTime> created = new java.util.LinkedHashMap<>();
  private long files;
  private long bytes;

  DestinationTree(Path upper, LayerStack lower, Optional<Owner> chown, ModeChange mode,
      Optional<Instant> timestamp) {
    this.upper = upper;
    this.lower = lower;
    this.writer = new LayerDirWriter(upper, lower);
    this.merged = writer.merged();
    this.chown = chown;
    this.mode = mode;
    this.timestamp = timestamp.map(FileTime::from);
  }

  long files() {
    return files;
  }

  long bytes() {
    return bytes;
  }

  Optional<Owner> chown() {
    return chown;
  }

  Optional<FileTime> timestamp() {
    return timestamp;
  }

  LayerStack merged() {
    return merged;
  }

  LayerStack lower() {
    return lower;
  }

  LayerDirWriter writer() {
    return writer;
  }

  Path upper() {
    return upper;
  }

  /** {@code path} with every symlink followed inside the root, as fs.RootPath does. */
  String resolve(String path) throws IOException {
    return merged.resolve(path);
  }

  Optional<FileMetadata> lookup(String path) throws IOException {
    return merged.lookup(path).map(StackEntry::metadata);
  }

  /**
   * {@code mkdir -p} following symlinks inside the root: missing directories get the
   * {@code --chown} owner (else root), mode 0755 and the step's time. Returns the resolved path.
   */
  String mkdirAll(String path) throws IOException, CopyFailure {
    String resolved = merged.resolve(path);
    String current = "";
    FileTime now = timestamp.orElseGet(() -> FileTime.from(Instant.now()));
    Owner owner = chown.orElse(Owner.ROOT);
    for (String c : GoPaths.components(resolved)) {
      current = GoPaths.join(current, c);
      Optional<FileMetadata> e = lookup(current);
      if (e.isPresent()) {
        if (!e.get().isDirectory()) {
          throw CopyFailure.of("mkdir " + GoPaths.display(current) + ": not a directory");
        }
        continue;
      }
      writer.directory(current, new EntryAttributes(owner.uid(), owner.gid(), 0755, now));
      created.put(current, now);
    }
    return resolved;
  }

  /**
   * Gives the directories {@code mkdir -p} made their time again (writing into them changed it),
   * deepest first, so that a step timestamp holds for them too.
   */
  void finish() throws IOException {
    if (timestamp.isEmpty()) {
      return;
    }
    java.util.List<String> paths = new java.util.ArrayList<>(created.keySet());
    for (int i = paths.size() - 1; i >= 0; i--) {
      Path u = upper.resolve(paths.get(i));
      if (FileMetadata.readIfExists(u).map(FileMetadata::isDirectory).orElse(false)) {
        java.nio.file.Files.getFileAttributeView(u,
            java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setTimes(created.get(paths.get(i)), null, null);
      }
    }
  }

  /** The directory {@code path} (which the merged view has) as a real directory in the upper. */
  Path realDirectory(String path) throws IOException {
    Path u = path.isEmpty() ? upper : upper.resolve(path);
    Optional<FileMetadata> m = FileMetadata.readIfExists(u);
    if (m.isPresent() && m.get().isDirectory()) {
      return u;
    }
    return writer.copyUp(path);
  }

  /** What the upper directory alone has at {@code path} (a whiteout counts as nothing). */
  Optional<FileMetadata> upperEntry(String path) throws IOException {
    Optional<FileMetadata> m = FileMetadata.readIfExists(upper.resolve(path));
    return m.isPresent() && m.get().isWhiteout() ? Optional.empty() : m;
  }

  /** Whether the lower layers have nothing at {@code path}. */
  boolean lowerFree(String path) throws IOException {
    return lower.layers().isEmpty() || lower.lookup(path).isEmpty();
  }

  void countFile(long size) {
    files++;
    bytes += size;
  }

  /** The metadata a copied entry gets: --chown, --chmod and the step time win over the source's. */
  void applyCopied(Path target, SourceEntry source, boolean keepOwners) throws IOException {
    FileMetadata m = source.metadata();
    Owner owner = chown.orElse(keepOwners ? new Owner(m.uid(), m.gid()) : Owner.ROOT);
    HostFiles.applyMetadata(target, m.type(), owner.uid(), owner.gid(),
        mode.apply(m.permissions(), m.isDirectory()), timestamp.orElse(m.mtime()));
  }

  /** Copies a tree (or a single entry) so that its top lands at {@code destination}. */
  TreeWalker.Visitor copyTo(String destination, boolean keepOwners) {
    return new TreeCopy(destination, keepOwners);
  }

  private record Frame(String path, boolean lowerFree, boolean applyMetadata, SourceEntry source) {}

  /** Writes what a {@link TreeWalker} reports below one destination path. */
  private final class TreeCopy implements TreeWalker.Visitor {
    private final String destination;
    private final boolean keepOwners;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private final Map<String, Path> linked = new HashMap<>();

    TreeCopy(String destination, boolean keepOwners) {
      this.destination = destination;
      this.keepOwners = keepOwners;
    }

    @Override
    public void enterDirectory(String relative, SourceEntry directory)
        throws IOException, CopyFailure {
      String target = GoPaths.join(destination, relative);
      Frame parent = frames.peek();
      Optional<FileMetadata> existing = existing(parent, target);
      if (existing.isPresent() && !existing.get().isDirectory()) {
        throw CopyFailure.of("cannot copy to non-directory: " + GoPaths.display(target));
      }
      boolean lowerFree;
      if (existing.isPresent()) {
        realDirectory(target);
        lowerFree = (parent != null && parent.lowerFree) || lowerFree(target);
      } else if (parent == null) {
        mkdirAll(target);
        realDirectory(target);
        lowerFree = lowerFree(target);
      } else {
        Files.createDirectory(upper.resolve(target));
        lowerFree = true;
      }
      // the top directory keeps what it had (or got from mkdir -p); the content gets the source's
      frames.push(new Frame(target, lowerFree, parent != null, directory));
    }

    @Override
    public void leaveDirectory(String relative, SourceEntry directory) throws IOException {
      Frame f = frames.pop();
      if (f.applyMetadata) {
        applyCopied(upper.resolve(f.path), f.source, keepOwners);
      }
    }

    @Override
    public void leaf(String relative, SourceEntry entry) throws IOException, CopyFailure {
      String target = GoPaths.join(destination, relative);
      Frame parent = frames.peek();
      if (parent == null) {
        realDirectory(GoPaths.parent(target));
      }
      Optional<FileMetadata> existing = existing(parent, target);
      if (existing.isPresent() && existing.get().isDirectory()) {
        throw CopyFailure.of("cannot replace to directory " + GoPaths.display(target)
            + " with file");
      }
      Path out = upper.resolve(target);
      HostFiles.deleteRecursively(out);
      FileMetadata m = entry.metadata();
      switch (m.type()) {
        case REGULAR: {
          String inode = m.nlink() > 1 ? m.dev() + ":" + m.ino() : null;
          Path first = inode == null ? null : linked.get(inode);
          if (first != null) {
            Files.createLink(out, first);
          } else {
            Files.copy(entry.real(), out, LinkOption.NOFOLLOW_LINKS);
            countFile(m.size());
            if (inode != null) {
              linked.put(inode, out);
            }
          }
          break;
        }
        case SYMLINK:
          HostFiles.createSymlink(out, Files.readSymbolicLink(entry.real()).toString());
          break;
        case CHAR_DEVICE:
        case BLOCK_DEVICE:
        case FIFO: {
          FileTime mtime = timestamp.orElse(m.mtime());
          HostFiles.createSpecial(out, m.type(), m.devMajor(), m.devMinor(),
              mode.apply(m.permissions(), false), mtime);
          break;
        }
        default:
          return; // sockets are not copied
      }
      applyCopied(out, entry, keepOwners);
    }

    private Optional<FileMetadata> existing(Frame parent, String target) throws IOException {
      if (parent != null && parent.lowerFree) {
        return upperEntry(target);
      }
      return lookup(target);
    }
  }
}
