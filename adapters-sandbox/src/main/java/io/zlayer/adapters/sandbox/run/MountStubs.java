package io.zlayer.adapters.sandbox.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mount points the sandbox has to create because the image lacks them ({@code /proc},
 * {@code /etc/resolv.conf}, a secret's {@code /run/secrets/...}), and their removal afterwards so
 * they never reach the change set. This is BuildKit's {@code MountStubsCleaner}: every missing
 * target and missing parent is recorded before the step; after it, each one that is still an
 * empty directory or an empty regular file is removed, deepest first, and the parent directory's
 * timestamps are put back as they were just before the removal.
 *
 * <p>We chose this over a separate lower layer of pre-made mount points because that layer would
 * still leave the copied-up parents and would hide the image's own choice of file types.
 */
final class MountStubs {
  private final List<Stub> stubs;
  private final List<String> existingParents;
  private final Optional<ImageTree> lowerLayers;
  private final Map<String, DirectoryState> flatParents;

  private record Stub(String imagePath, boolean whiteoutBefore) {}

  /** An existing directory of a flat rootfs as it was before the step. */
  private record DirectoryState(FileTime modified, FileTime accessed, Object owner,
      Set<String> names) {}

  private MountStubs(List<Stub> stubs, List<String> existingParents,
      Optional<ImageTree> lowerLayers, Map<String, DirectoryState> flatParents) {
    this.stubs = stubs;
    this.existingParents = existingParents;
    this.lowerLayers = lowerLayers;
    this.flatParents = flatParents;
  }

  /**
   * Records the missing targets (already resolved inside the image) and their missing parents.
   *
   * @param changeDir the overlay upper directory or the flat rootfs
   * @param lowerLayers for an overlay, the lower layers alone: directories that overlay copied
   *     up only because a mount point was created in them are dropped from the upper directory
   *     again when they still match the lower directory (BuildKit's differ ignores them too, as
   *     it does not compare directory timestamps)
   */
  static MountStubs plan(ImageTree tree, Path changeDir, List<String> resolvedTargets,
      Optional<ImageTree> lowerLayers) throws IOException {
    Set<String> missing = new LinkedHashSet<>();
    Set<String> parents = new LinkedHashSet<>();
    for (String target : resolvedTargets) {
      String path = target;
      while (!path.equals("/") && !tree.exists(path)) {
        missing.add(path);
        path = parent(path);
      }
      while (!path.equals("/")) {
        parents.add(path);
        path = parent(path);
      }
    }
    List<Stub> stubs = new ArrayList<>();
    for (String path : missing) {
      stubs.add(new Stub(path, ImageTree.isWhiteout(hostPath(changeDir, path))));
    }
    stubs.sort(Comparator.comparingInt((Stub s) -> ImageTree.components(s.imagePath()).size())
        .reversed());
    List<String> existingParents = new ArrayList<>(parents);
    existingParents.sort(Comparator.comparingInt((String p) -> ImageTree.components(p).size())
        .reversed());
    Map<String, DirectoryState> flatParents = new LinkedHashMap<>();
    if (lowerLayers.isEmpty() && !stubs.isEmpty()) {
      for (String parent : existingParents) {
        Path path = hostPath(changeDir, parent);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          flatParents.put(parent, directoryState(path));
        }
      }
    }
    return new MountStubs(List.copyOf(stubs), List.copyOf(existingParents), lowerLayers,
        flatParents);
  }

  private static DirectoryState directoryState(Path dir) throws IOException {
    BasicFileAttributes times = Files.readAttributes(dir, BasicFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    Object owner = Files.readAttributes(dir, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    Set<String> names = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(e -> names.add(e.getFileName().toString()));
    }
    return new DirectoryState(times.lastModifiedTime(), times.lastAccessTime(), owner, names);
  }

  List<String> paths() {
    return stubs.stream().map(Stub::imagePath).toList();
  }

  /**
   * Removes the stubs the step left empty. A stub that replaced a whiteout of the upper directory
   * gets its whiteout back, so the lower layer's entry stays deleted.
   */
  void clean(Path changeDir, WhiteoutMaker whiteouts) throws IOException {
    for (Stub stub : stubs) {
      Path path = hostPath(changeDir, stub.imagePath());
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(path, BasicFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        continue;
      }
      if (attributes.isDirectory()) {
        if (!isEmptyDirectory(path)) {
          continue;
        }
      } else if (!attributes.isRegularFile() || attributes.size() != 0) {
        continue;
      }
      removeKeepingParentTimes(path, stub.whiteoutBefore() ? whiteouts : null);
    }
    // A flat rootfs has no copy-up to drop: a directory that only got its mtime moved by a mount
    // point (its entries, mode and owner are as before) gets its times back, so the diff leaves
    // it out exactly where the overlay path drops the copied-up directory.
    for (Map.Entry<String, DirectoryState> parent : flatParents.entrySet()) {
      Path path = hostPath(changeDir, parent.getKey());
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        DirectoryState now = directoryState(path);
        DirectoryState was = parent.getValue();
        if (now.owner().equals(was.owner()) && now.names().equals(was.names())) {
          Files.getFileAttributeView(path, BasicFileAttributeView.class,
              LinkOption.NOFOLLOW_LINKS).setTimes(was.modified(), was.accessed(), null);
        }
      }
    }
    if (lowerLayers.isPresent()) {
      for (String parent : existingParents) {
        Path path = hostPath(changeDir, parent);
        if (isUnchangedCopyUp(path, lowerLayers.get(), parent)) {
          removeKeepingParentTimes(path, null);
        }
      }
    }
  }

  private static void removeKeepingParentTimes(Path path, WhiteoutMaker whiteout)
      throws IOException {
    Path parent = path.getParent();
    BasicFileAttributes parentTimes = Files.readAttributes(parent, BasicFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    Files.delete(path);
    if (whiteout != null) {
      whiteout.create(path);
    }
    Files.getFileAttributeView(parent, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(parentTimes.lastModifiedTime(), parentTimes.lastAccessTime(), null);
  }

  // An empty, non-opaque upper directory whose mode and owner equal the lower one it covers.
  private static boolean isUnchangedCopyUp(Path upperPath, ImageTree lower, String imagePath)
      throws IOException {
    if (!Files.isDirectory(upperPath, LinkOption.NOFOLLOW_LINKS) || !isEmptyDirectory(upperPath)
        || ImageTree.isOpaque(upperPath)) {
      return false;
    }
    Optional<Path> lowerPath = lower.lookup(ImageTree.components(imagePath));
    if (lowerPath.isEmpty() || !Files.isDirectory(lowerPath.get(), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    String attributes = "unix:mode,uid,gid";
    Map<String, Object> upper = Files.readAttributes(upperPath, attributes,
        LinkOption.NOFOLLOW_LINKS);
    Map<String, Object> below = Files.readAttributes(lowerPath.get(), attributes,
        LinkOption.NOFOLLOW_LINKS);
    return upper.equals(below);
  }

  /** Creates an overlay whiteout (a character device 0/0) at a host path. */
  interface WhiteoutMaker {
    void create(Path path) throws IOException;
  }

  private static boolean isEmptyDirectory(Path directory) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      return !entries.iterator().hasNext();
    }
  }

  static Path hostPath(Path root, String imagePath) {
    Path out = root;
    for (String part : ImageTree.components(imagePath)) {
      out = out.resolve(part);
    }
    return out;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
