package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes changes into an upper layer directory on top of a stack of lower layers, with the
 * semantics of writing through an overlayfs mount of them: parents are copied up with the
 * metadata the stack shows, a deleted lower entry becomes a whiteout, a directory created where
 * a lower one was deleted is opaque. COPY, ADD and WORKDIR can so be done without mounting.
 *
 * <p>Paths are container paths ("/a/b" or "a/b"). Symlinks among the parents are followed inside
 * the root, as the container would; the final component is never followed. Nothing is ever
 * created outside the upper directory.
 */
public final class LayerDirWriter {
  private final Path upper;
  private final LayerStack lower;
  private final LayerStack merged;
  private final boolean chown = Privileges.isRoot();

  public LayerDirWriter(Path upperDir, LayerStack lower) {
    this.upper = upperDir;
    this.lower = lower;
    this.merged = lower.withTop(upperDir);
  }

  /** The stack as the container sees it: the upper directory on top of the lower layers. */
  public LayerStack merged() {
    return merged;
  }

  public Path upperDir() {
    return upper;
  }

  /** The layers below the upper directory, top first. */
  List<Path> lowerLayers() {
    return lower.layers();
  }

  /**
   * Makes {@code path} (no symlink followed at the end) exist in the upper directory, copying it
   * up from the lower layers with its metadata, and returns where it is. A directory is copied
   * without its content, which stays merged from below.
   */
  public Path copyUp(String path) throws IOException {
    String p = merged.resolveParent(path);
    if (p.isEmpty()) {
      return upper;
    }
    ensureParents(p);
    Path target = upper.resolve(p);
    Optional<FileMetadata> here = FileMetadata.readIfExists(target);
    if (here.isPresent() && !here.get().isWhiteout()) {
      return target;
    }
    StackEntry entry = merged.lookup(p).orElseThrow(
        () -> new NoSuchFileException(PathNames.display(p)));
    copyEntryUp(entry, target);
    return target;
  }

  /** Hides {@code path}: removes it from the upper directory, whiteouts it when a lower has it. */
  public void whiteout(String path) throws IOException {
    String p = merged.resolveParent(path);
    if (p.isEmpty()) {
      throw new IOException("the root directory cannot be deleted");
    }
    if (merged.lookup(PathNames.parent(p)).isEmpty()) {
      return; // nothing to hide
    }
    ensureParents(p);
    Path target = upper.resolve(p);
    FileTrees.deleteRecursively(target);
    if (lower.lookup(p).isPresent()) {
      DeviceNodes nodes = new DeviceNodes();
      nodes.addWhiteout(target, Optional.empty());
      nodes.create();
    }
  }

  /** Hides everything the lower layers have below {@code dir}; its upper content stays. */
  public void makeOpaque(String dir) throws IOException {
    String p = merged.resolve(dir);
    StackEntry entry = merged.lookup(p).orElseThrow(
        () -> new NoSuchFileException(PathNames.display(p)));
    if (!entry.metadata().isDirectory()) {
      throw new NotDirectoryException(PathNames.display(p));
    }
    if (p.isEmpty()) {
      throw new IOException("the root directory cannot be made opaque");
    }
    Path target = copyUp(p);
    try (var children = Files.newDirectoryStream(target)) {
      for (Path child : children) {
        if (FileMetadata.read(child).isWhiteout()) {
          Files.delete(child); // an opaque directory needs no whiteouts
        }
      }
    }
    OverlayFormat.setOpaque(target);
  }

  /**
   * {@code mkdir -p} in the container: symlinks are followed inside the root, existing
   * directories are left alone, new ones get the owner and mode given. Returns the resolved
   * container path of the directory.
   */
  public String mkdirs(String path, int uid, int gid, int mode) throws IOException {
    String p = merged.resolve(path);
    EntryAttributes attributes = new EntryAttributes(uid, gid, mode & 07777,
        FileTime.from(Instant.now()));
    String current = "";
    for (String c : PathNames.components(p)) {
      current = PathNames.join(current, c);
      Optional<StackEntry> e = merged.lookup(current);
      if (e.isPresent()) {
        if (!e.get().metadata().isDirectory()) {
          throw new NotDirectoryException(PathNames.display(current));
        }
        continue;
      }
      ensureParents(current);
      createDirectory(current, attributes);
    }
    return p;
  }

  /** Writes a regular file, replacing whatever {@code path} was. */
  public void writeFile(String path, InputStream content, EntryAttributes attributes)
      throws IOException {
    Path target = prepareNew(path);
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      content.transferTo(out);
    }
    apply(target, FileType.REGULAR, attributes);
  }

  /** Creates a symlink, replacing whatever {@code path} was. The target is not checked. */
  public void symlink(String path, String linkTarget, EntryAttributes attributes)
      throws IOException {
    Path target = prepareNew(path);
    FileTrees.createSymlink(target, linkTarget);
    apply(target, FileType.SYMLINK, attributes);
  }

  /** Creates a directory, or sets the attributes of the one there, merged ones copied up. */
  public void directory(String path, EntryAttributes attributes) throws IOException {
    String p = merged.resolveParent(path);
    Optional<StackEntry> e = merged.lookup(p);
    if (e.isPresent() && e.get().metadata().isDirectory()) {
      Path target = copyUp(p);
      apply(target, FileType.DIRECTORY, attributes);
      return;
    }
    prepareNew(p);
    createDirectory(p, attributes);
  }

  /** Hard-links {@code path} to the non-directory {@code existing}, copying it up if needed. */
  public void hardLink(String path, String existing) throws IOException {
    String source = merged.resolveParent(existing);
    StackEntry e = merged.lookup(source).orElseThrow(
        () -> new NoSuchFileException(PathNames.display(source)));
    if (e.metadata().isDirectory()) {
      throw new IOException("cannot hard-link to the directory " + PathNames.display(source));
    }
    if (merged.resolveParent(path).equals(source)) {
      throw new IOException("cannot hard-link " + PathNames.display(source) + " to itself");
    }
    Path real = copyUp(source);
    Path target = prepareNew(path);
    Files.createLink(target, real);
  }

  /** Sets owner, mode and mtime of an existing entry (copied up first). */
  public void setAttributes(String path, EntryAttributes attributes) throws IOException {
    Path target = copyUp(path);
    FileMetadata m = FileMetadata.read(target);
    apply(target, m.type(), attributes);
  }

  // ---- shared with the unpacker ----

  /**
   * Resolves the parents of {@code path}, copies them up and clears the way for a new entry:
   * whatever the upper directory has there is removed. Returns the real path to create.
   */
  Path prepareNew(String path) throws IOException {
    String p = merged.resolveParent(path);
    if (p.isEmpty()) {
      throw new FileAlreadyExistsException("/");
    }
    ensureParents(p);
    Path target = upper.resolve(p);
    FileTrees.deleteRecursively(target);
    return target;
  }

  /**
   * Makes every parent of the clean path {@code p} a real directory in the upper dir, copying
   * up the ones the lower layers have; a parent nobody has is an error.
   */
  void ensureParents(String p) throws IOException {
    String current = "";
    List<String> parts = PathNames.components(p);
    for (int i = 0; i < parts.size() - 1; i++) {
      current = PathNames.join(current, parts.get(i));
      Path u = upper.resolve(current);
      Optional<FileMetadata> um = FileMetadata.readIfExists(u);
      if (um.isPresent() && um.get().isDirectory()) {
        continue;
      }
      if (um.isPresent() && !um.get().isWhiteout()) {
        throw new NotDirectoryException(PathNames.display(current));
      }
      Optional<StackEntry> below = merged.lookup(current);
      if (below.isPresent()) {
        if (!below.get().metadata().isDirectory()) {
          throw new NotDirectoryException(PathNames.display(current));
        }
        copyEntryUp(below.get(), u);
        continue;
      }
      throw new NoSuchFileException(PathNames.display(current));
    }
  }

  /** Creates a new directory (never over an existing merged one): opaque if a lower had one. */
  void createDirectory(String p, EntryAttributes attributes) throws IOException {
    Path u = upper.resolve(p);
    FileTrees.deleteRecursively(u); // a whiteout, if any
    Files.createDirectory(u);
    Optional<StackEntry> below = lower.lookup(p);
    if (below.isPresent() && below.get().metadata().isDirectory()) {
      OverlayFormat.setOpaque(u);
    }
    apply(u, FileType.DIRECTORY, attributes);
  }

  void copyEntryUp(StackEntry entry, Path target) throws IOException {
    FileMetadata m = entry.metadata();
    FileTrees.deleteRecursively(target); // a whiteout placeholder, if any
    switch (m.type()) {
      case DIRECTORY:
        Files.createDirectory(target);
        break;
      case REGULAR:
        FileTrees.copyContent(entry.realPath(), target);
        break;
      case SYMLINK:
        FileTrees.createSymlink(target, Files.readSymbolicLink(entry.realPath()).toString());
        break;
      case CHAR_DEVICE:
      case BLOCK_DEVICE:
      case FIFO:
        DeviceNodes nodes = new DeviceNodes();
        nodes.add(target, m.type(), m.devMajor(), m.devMinor(), m.permissions(),
            Optional.of(m.mtime()));
        nodes.create();
        break;
      default:
        throw new IOException("cannot copy up the socket " + PathNames.display(entry.path()));
    }
    Map<String, byte[]> preserved = new TreeMap<>();
    ExtendedAttributes.read(entry.realPath(), m).forEach((k, v) -> {
      if (ExtendedAttributes.isPreserved(k)) {
        preserved.put(k, v);
      }
    });
    if (!preserved.isEmpty()) {
      ExtendedAttributes.write(
          List.of(new ExtendedAttributes.Assignment(target, m.type(), preserved)));
    }
    apply(target, m.type(), EntryAttributes.of(m));
  }

  void apply(Path target, FileType type, EntryAttributes a) throws IOException {
    FileTrees.applyMetadata(target, type, a.mtime(), Integer.toUnsignedLong(a.uid()),
        Integer.toUnsignedLong(a.gid()), a.permissions(), chown);
  }
}
