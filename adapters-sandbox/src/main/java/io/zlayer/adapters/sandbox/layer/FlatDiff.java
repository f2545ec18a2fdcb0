package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds what a command changed in a flat root filesystem by comparing metadata taken before it
 * ran with the tree after it, and writes the change set into an upper directory in overlayfs
 * format (deleted entries become whiteouts, a directory that was removed and created again
 * becomes opaque). File contents are read only where the metadata cannot tell: an entry whose
 * stat fields are all equal but whose inode or ctime moved is compared, content and extended
 * attributes, with the same entry in the lower layers.
 */
public final class FlatDiff {

  /** The metadata of every entry of a tree, keyed by root-relative path. */
  public static final class Snapshot {
    private final Map<String, FileMetadata> entries;
    private final Map<String, String> links;
    private final Map<String, TreeSet<String>> children;

    private Snapshot(Map<String, FileMetadata> entries, Map<String, String> links,
        Map<String, TreeSet<String>> children) {
      this.entries = entries;
      this.links = links;
      this.children = children;
    }

    public int size() {
      return entries.size();
    }
  }

  /** Records the metadata (never the content) of every entry under {@code root}. */
  public static Snapshot snapshot(Path root) throws IOException {
    Map<String, FileMetadata> entries = new HashMap<>();
    Map<String, String> links = new HashMap<>();
    Map<String, TreeSet<String>> children = new HashMap<>();
    entries.put("", FileMetadata.read(root));
    walk(root, "", entries, links, children);
    return new Snapshot(entries, links, children);
  }

  private static void walk(Path dir, String rel, Map<String, FileMetadata> entries,
      Map<String, String> links, Map<String, TreeSet<String>> children) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    children.put(rel, names);
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path child : stream) {
        String name = child.getFileName().toString();
        String path = PathNames.join(rel, name);
        FileMetadata m = FileMetadata.read(child);
        names.add(name);
        entries.put(path, m);
        if (m.isSymlink()) {
          links.put(path, Files.readSymbolicLink(child).toString());
        } else if (m.isDirectory()) {
          walk(child, path, entries, links, children);
        }
      }
    }
  }

  /** What {@link #writeChanges} wrote. */
  public record Changes(int written, int deleted) {
    public boolean isEmpty() {
      return written == 0 && deleted == 0;
    }
  }

  /**
   * Writes into the empty directory {@code upper} what changed in {@code root} since
   * {@code before} was taken. {@code lowers} is the stack the root was flattened from, used only
   * to compare contents when metadata alone cannot decide.
   */
  public Changes writeChanges(Snapshot before, Path root, Path upper, LayerStack lowers)
      throws IOException {
    Run run = new Run(before, root, upper, lowers);
    run.compareDirectory("");
    run.finish();
    return new Changes(run.written, run.deleted);
  }

  private static final class Run {
    private final Snapshot before;
    private final Path root;
    private final Path upper;
    private final LayerStack lowers;
    private final boolean chown = Privileges.isRoot();
    private final DeviceNodes nodes = new DeviceNodes();
    private final List<String> nodePaths = new ArrayList<>();
    private final List<String> dirs = new ArrayList<>();
    private final Map<List<Long>, Path> links = new HashMap<>();
    private final List<String> xattrPaths = new ArrayList<>();
    private int written;
    private int deleted;

    Run(Snapshot before, Path root, Path upper, LayerStack lowers) {
      this.before = before;
      this.root = root;
      this.upper = upper;
      this.lowers = lowers;
    }

    void compareDirectory(String dir) throws IOException {
      TreeSet<String> old = before.children.getOrDefault(dir, new TreeSet<>());
      TreeSet<String> now = new TreeSet<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(real(dir))) {
        for (Path child : stream) {
          now.add(child.getFileName().toString());
        }
      }
      for (String name : old) {
        if (!now.contains(name)) {
          String path = PathNames.join(dir, name);
          ensureParents(path);
          nodes.addWhiteout(upper.resolve(path), Optional.empty());
          deleted++;
        }
      }
      for (String name : now) {
        String path = PathNames.join(dir, name);
        FileMetadata after = FileMetadata.read(real(path));
        FileMetadata was = before.entries.get(path);
        if (was == null || was.type() != after.type()) {
          add(path, after, false);
        } else if (after.isDirectory()) {
          if (was.ino() != after.ino()) {
            add(path, after, true); // removed and created again: hide the old content
          } else {
            if (!sameStat(was, after) || (was.ctime().compareTo(after.ctime()) != 0
                && attributesChanged(path, after))) {
              ensureDirectory(path);
            }
            compareDirectory(path);
          }
        } else if (changed(path, was, after)) {
          add(path, after, false);
        }
      }
    }

    private boolean changed(String path, FileMetadata was, FileMetadata after)
        throws IOException {
      if (!sameStat(was, after)) {
        return true;
      }
      if (after.isSymlink()) {
        return !before.links.get(path).equals(Files.readSymbolicLink(real(path)).toString());
      }
      if (was.ino() == after.ino() && was.ctime().compareTo(after.ctime()) == 0) {
        return false;
      }
      // Same stat, different inode or ctime: replaced by an equal copy, or only attributes
      // changed. The lower layers still have the old entry: compare with it.
      Optional<StackEntry> old = lowers.lookup(path);
      if (old.isEmpty() || old.get().metadata().type() != after.type()) {
        return true;
      }
      if (!Arrays.equals(flattenXattrs(ExtendedAttributes.read(old.get().realPath(),
          old.get().metadata())), flattenXattrs(ExtendedAttributes.read(real(path), after)))) {
        return true;
      }
      return after.isRegular() && !sameContent(old.get().realPath(), real(path));
    }

    /**
     * For a directory whose stat fields are equal but whose ctime moved: whether its extended
     * attributes differ from the lower layers'. An entry created and removed again (the
     * sandbox's mount points) moves the ctime too, and must not put the directory into the layer
     * when the overlay path would not (see MountStubs).
     */
    private boolean attributesChanged(String path, FileMetadata after) throws IOException {
      Optional<StackEntry> old = lowers.lookup(path);
      if (old.isEmpty() || old.get().metadata().type() != after.type()) {
        return true;
      }
      return !Arrays.equals(flattenXattrs(ExtendedAttributes.read(old.get().realPath(),
          old.get().metadata())), flattenXattrs(ExtendedAttributes.read(real(path), after)));
    }

    private static boolean sameStat(FileMetadata a, FileMetadata b) {
      return a.type() == b.type() && a.permissions() == b.permissions() && a.uid() == b.uid()
          && a.gid() == b.gid() && a.mtime().equals(b.mtime())
          && (a.isDirectory() || a.size() == b.size()) && a.rdev() == b.rdev();
    }

    private static byte[] flattenXattrs(Map<String, byte[]> xattrs) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      new TreeMap<>(xattrs).forEach((k, v) -> {
        if (ExtendedAttributes.isPreserved(k)) {
          out.writeBytes(k.getBytes(StandardCharsets.UTF_8));
          out.write(0);
          out.writeBytes(v);
          out.write(0);
        }
      });
      return out.toByteArray();
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
      try (InputStream x = Files.newInputStream(a, LinkOption.NOFOLLOW_LINKS);
          InputStream y = Files.newInputStream(b, LinkOption.NOFOLLOW_LINKS)) {
        byte[] bx = new byte[65536];
        byte[] by = new byte[65536];
        while (true) {
          int nx = x.readNBytes(bx, 0, bx.length);
          int ny = y.readNBytes(by, 0, by.length);
          if (nx != ny || !Arrays.equals(bx, 0, nx, by, 0, ny)) {
            return false;
          }
          if (nx < bx.length) {
            return true;
          }
        }
      }
    }

    /** Writes a new or changed entry (a directory with everything below it). */
    private void add(String path, FileMetadata m, boolean opaque) throws IOException {
      ensureParents(path);
      Path dst = upper.resolve(path);
      Path src = real(path);
      written++;
      switch (m.type()) {
        case DIRECTORY:
          Files.createDirectory(dst);
          if (opaque) {
            OverlayFormat.setOpaque(dst);
          }
          dirs.add(path);
          xattrPaths.add(path);
          try (DirectoryStream<Path> stream = Files.newDirectoryStream(src)) {
            List<String> names = new ArrayList<>();
            stream.forEach(c -> names.add(c.getFileName().toString()));
            names.sort(null);
            for (String name : names) {
              String childPath = PathNames.join(path, name);
              add(childPath, FileMetadata.read(real(childPath)), false);
            }
          }
          return;
        case REGULAR: {
          List<Long> inode = List.of(m.dev(), m.ino());
          Path first = m.nlink() > 1 ? links.get(inode) : null;
          if (first != null) {
            Files.createLink(dst, first);
            return;
          }
          FileTrees.copyContent(src, dst);
          if (m.nlink() > 1) {
            links.put(inode, dst);
          }
          break;
        }
        case SYMLINK:
          FileTrees.createSymlink(dst, Files.readSymbolicLink(src).toString());
          break;
        case CHAR_DEVICE:
        case BLOCK_DEVICE:
        case FIFO:
          nodes.add(dst, m.type(), m.devMajor(), m.devMinor(), m.permissions(),
              Optional.of(m.mtime()));
          nodePaths.add(path);
          return;
        default:
          written--;
          return; // sockets are not layer content
      }
      apply(dst, m);
      xattrPaths.add(path);
    }

    private void ensureParents(String path) throws IOException {
      String current = "";
      List<String> parts = PathNames.components(path);
      for (int i = 0; i < parts.size() - 1; i++) {
        current = PathNames.join(current, parts.get(i));
        ensureDirectory(current);
      }
    }

    private void ensureDirectory(String path) throws IOException {
      ensureParents(path);
      Path dst = upper.resolve(path);
      if (!Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dst);
        dirs.add(path);
        xattrPaths.add(path);
      }
    }

    private void apply(Path dst, FileMetadata m) throws IOException {
      FileTrees.applyMetadata(dst, m.type(), m.mtime(), Integer.toUnsignedLong(m.uid()),
          Integer.toUnsignedLong(m.gid()), m.permissions(), chown);
    }

    void finish() throws IOException {
      nodes.create();
      for (String path : nodePaths) {
        apply(upper.resolve(path), FileMetadata.read(real(path)));
        xattrPaths.add(path);
      }
      if (!xattrPaths.isEmpty()) {
        List<ExtendedAttributes.Assignment> assignments = new ArrayList<>();
        // one getfattr run over the whole root beats one per entry beyond a few entries
        ExtendedAttributes.TreeAttributes tree = xattrPaths.size() > 32
            ? ExtendedAttributes.forTree(root) : (rel, p, m) -> ExtendedAttributes.read(p, m);
        for (String path : xattrPaths) {
          FileMetadata m = FileMetadata.read(real(path));
          Map<String, byte[]> keep = new TreeMap<>();
          tree.of(path, real(path), m).forEach((k, v) -> {
            if (ExtendedAttributes.isPreserved(k)) {
              keep.put(k, v);
            }
          });
          if (!keep.isEmpty()) {
            assignments.add(new ExtendedAttributes.Assignment(upper.resolve(path), m.type(),
                keep));
          }
        }
        ExtendedAttributes.write(assignments);
      }
      for (int i = dirs.size() - 1; i >= 0; i--) {
        String path = dirs.get(i);
        apply(upper.resolve(path), FileMetadata.read(real(path)));
      }
    }

    private Path real(String path) {
      return path.isEmpty() ? root : root.resolve(path);
    }
  }
}
