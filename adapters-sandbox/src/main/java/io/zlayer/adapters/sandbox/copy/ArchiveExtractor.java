package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.FileType;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.StackEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a tar archive into a directory of the destination, the way {@code ADD archive /dir}
 * does (BuildKit's root-confined untar): names are cleaned and may not climb out, parents are
 * resolved with symlinks followed inside the extraction directory (an absolute link target
 * starts again there), the final component is never followed, an entry replaces what was there
 * unless both are directories (then the archive's metadata wins), implied parents are made 0755
 * and owned by root, owners come from the archive unless {@code --chown} is given, directory
 * times are set last. Everything is written into the step's upper directory.
 */
final class ArchiveExtractor {
  private final DestinationTree tree;
  private final LayerStack merged;
  private final InRootPaths.Lookup lookup;
  private final Map<String, String> resolvedParents = new HashMap<>();
  private final Map<String, Attributes> directories = new LinkedHashMap<>();

  private record Attributes(int uid, int gid, int permissions, FileTime mtime) {}

  ArchiveExtractor(DestinationTree tree) {
    this.tree = tree;
    this.merged = tree.merged();
    this.lookup = new InRootPaths.Lookup() {
      @Override
      public Optional<Boolean> isSymlink(String path) throws IOException {
        return merged.lookup(path).map(e -> e.metadata().isSymlink());
      }

      @Override
      public String readLink(String path) throws IOException {
        return merged.readLink(path);
      }
    };
  }

  /** Extracts the (decompressed) tar {@code archive} into the directory {@code root}. */
  void extract(InputStream archive, String name, String root) throws IOException, CopyFailure {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(archive,
        StandardCharsets.UTF_8.name())) {
      TarArchiveEntry entry;
      while ((entry = nextEntry(tar, name)) != null) {
        if (Thread.currentThread().isInterrupted()) {
          throw new java.io.InterruptedIOException("interrupted");
        }
        entry(tar, entry, name, root);
      }
    }
    List<Map.Entry<String, Attributes>> dirs = new ArrayList<>(directories.entrySet());
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Attributes a = dirs.get(i).getValue();
      HostFiles.applyMetadata(tree.upper().resolve(dirs.get(i).getKey()), FileType.DIRECTORY,
          a.uid, a.gid, a.permissions, a.mtime);
    }
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String name)
      throws CopyFailure {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw CopyFailure.of(name + ": invalid tar archive: " + e.getMessage(), e);
    }
  }

  private void entry(InputStream content, TarArchiveEntry e, String archive, String root)
      throws IOException, CopyFailure {
    String clean = cleanName(e.getName(), archive);
    if (clean.isEmpty()) {
      return; // the archive's root: the extraction directory keeps its metadata
    }
    if (GoPaths.base(clean).startsWith(".wh.")) {
      throw CopyFailure.of(archive + ": archive entry \"" + e.getName() + "\" has a name that"
          + " layers reserve for deletions (.wh.)");
    }
    String parent = resolveParent(GoPaths.parent(clean), root);
    String target = GoPaths.join(parent, GoPaths.base(clean));
    makeParents(root, parent);
    Optional<StackEntry> existing = merged.lookup(target);
    boolean directory = e.isDirectory();
    boolean opaque = false;
    if (existing.isPresent() && !(directory && existing.get().metadata().isDirectory())) {
      if (directory) {
        Optional<StackEntry> below = tree.lower().layers().isEmpty() ? Optional.empty()
            : tree.lower().lookup(target);
        opaque = below.isPresent() && below.get().metadata().isDirectory();
      }
      remove(target);
    }
    Attributes attributes = attributes(e);
    Path out = tree.upper().resolve(target);
    if (directory) {
      if (existing.isPresent() && existing.get().metadata().isDirectory()) {
        tree.realDirectory(target);
      } else {
        tree.realDirectory(parent);
        Files.createDirectory(out);
        if (opaque) {
          Files.getFileAttributeView(out, UserDefinedFileAttributeView.class)
              .write("overlay.opaque", java.nio.ByteBuffer.wrap(new byte[] {'y'}));
        }
      }
      directories.remove(target);
      directories.put(target, attributes);
      return;
    }
    if (e.isLink()) {
      hardLink(e, archive, root, target, attributes);
      return;
    }
    tree.realDirectory(parent);
    if (e.isSymbolicLink()) {
      HostFiles.createSymlink(out, e.getLinkName());
      resolvedParents.clear(); // the new link may redirect later paths
      apply(out, FileType.SYMLINK, attributes);
    } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      FileType type = e.isFIFO() ? FileType.FIFO
          : e.isCharacterDevice() ? FileType.CHAR_DEVICE : FileType.BLOCK_DEVICE;
      HostFiles.createSpecial(out, type, e.getDevMajor(), e.getDevMinor(),
          attributes.permissions, attributes.mtime);
      apply(out, type, attributes);
    } else if (e.isFile() || e.isSparse()) {
      long size = Files.copy(content, out);
      tree.countFile(size);
      apply(out, FileType.REGULAR, attributes);
    } else {
      throw CopyFailure.of(archive + ": unsupported tar entry \"" + e.getName() + "\"");
    }
  }

  private void hardLink(TarArchiveEntry e, String archive, String root, String target,
      Attributes attributes) throws IOException, CopyFailure {
    String linkClean = cleanName(e.getLinkName(), archive);
    if (linkClean.isEmpty()) {
      throw CopyFailure.of(archive + ": archive hard link \"" + e.getName()
          + "\" targets the extraction root");
    }
    String source = InRootPaths.resolve(lookup, root, linkClean, false);
    Optional<StackEntry> existing = merged.lookup(source);
    if (existing.isEmpty()) {
      throw CopyFailure.of(archive + ": archive hard link \"" + e.getName() + "\" points to \""
          + e.getLinkName() + "\", which does not exist");
    }
    if (existing.get().metadata().isDirectory()) {
      throw CopyFailure.of(archive + ": archive hard link \"" + e.getName()
          + "\" points to the directory \"" + e.getLinkName() + "\"");
    }
    if (source.equals(target)) {
      return;
    }
    tree.writer().hardLink(target, source);
    FileMetadata m = FileMetadata.read(tree.upper().resolve(target));
    if (!m.isSymlink()) {
      apply(tree.upper().resolve(target), m.type(), attributes);
    }
  }

  /** Resolves an archive directory path inside the extraction root, symlinks followed. */
  private String resolveParent(String cleanDir, String root) throws IOException {
    if (cleanDir.isEmpty()) {
      return root;
    }
    String known = resolvedParents.get(cleanDir);
    if (known == null) {
      known = InRootPaths.resolve(lookup, root, cleanDir, true);
      resolvedParents.put(cleanDir, known);
    }
    return known;
  }

  /** Creates the missing directories between {@code root} and {@code dir} (implied parents). */
  private void makeParents(String root, String dir) throws IOException, CopyFailure {
    if (dir.equals(root)) {
      return;
    }
    String relative = root.isEmpty() ? dir : dir.substring(root.length() + 1);
    String current = root;
    for (String c : GoPaths.components(relative)) {
      current = GoPaths.join(current, c);
      Optional<StackEntry> e = merged.lookup(current);
      if (e.isPresent()) {
        if (!e.get().metadata().isDirectory()) {
          throw CopyFailure.of("mkdir " + GoPaths.display(current) + ": not a directory");
        }
        continue;
      }
      tree.realDirectory(GoPaths.parent(current));
      Path u = tree.upper().resolve(current);
      Files.createDirectory(u);
      HostFiles.applyMetadata(u, FileType.DIRECTORY, 0, 0, 0755, FileTime.from(Instant.now()));
    }
  }

  /** Removes what the upper directory has at {@code target}; a lower entry gets shadowed. */
  private void remove(String target) throws IOException {
    HostFiles.deleteRecursively(tree.upper().resolve(target));
    directories.keySet().removeIf(d -> GoPaths.isWithin(d, target));
    resolvedParents.clear();
  }

  private Attributes attributes(TarArchiveEntry e) {
    Optional<Owner> chown = tree.chown();
    int uid = chown.map(Owner::uid).orElse((int) e.getLongUserId());
    int gid = chown.map(Owner::gid).orElse((int) e.getLongGroupId());
    FileTime mtime = tree.timestamp().orElse(e.getLastModifiedTime());
    return new Attributes(uid, gid, e.getMode() & 07777, mtime);
  }

  private static void apply(Path out, FileType type, Attributes a) throws IOException {
    HostFiles.applyMetadata(out, type, a.uid, a.gid, a.permissions, a.mtime);
  }

  /** BuildKit's cleanRootTarPath: leading slashes go, ".." may not climb out. */
  private static String cleanName(String name, String archive) throws CopyFailure {
    String trimmed = name;
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    String clean = GoPaths.clean(trimmed);
    if (clean.equals(".")) {
      return "";
    }
    if (clean.equals("..") || clean.startsWith("../")) {
      throw CopyFailure.of(archive + ": archive path \"" + name
          + "\" is outside the extraction root");
    }
    return clean;
  }
}
