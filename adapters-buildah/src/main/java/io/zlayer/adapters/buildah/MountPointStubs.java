package io.zlayer.adapters.buildah;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The mount points {@code buildah run} creates in the container's filesystem because the image
 * lacks them ({@code /etc/hosts}, {@code /etc/resolv.conf}, {@code /etc/hostname}, {@code
 * /run/.containerenv}, {@code /proc}, a secret's {@code /run/secrets/...}), removed after the
 * step as BuildKit's {@code MountStubsCleaner} does, so they never reach the layer: every
 * missing target and missing parent is noted before the step, and afterwards each one that is
 * still an empty directory or an empty regular file is removed, deepest first, putting the
 * parent directory's timestamps back.
 *
 * <p>Paths are looked up on the host through the container's mount point. A path with a symbolic
 * link among its parents is left alone: following the link on the host could leave the
 * container's filesystem.
 */
final class MountPointStubs {
  /** What buildah binds or creates for every RUN, besides the step's own mounts. */
  static final List<String> BUILDAH_TARGETS = List.of("/etc/hosts", "/etc/resolv.conf",
      "/etc/hostname", "/run/.containerenv", "/proc", "/dev", "/sys");

  private final Path rootfs;
  private final List<String> missing;

  private MountPointStubs(Path rootfs, List<String> missing) {
    this.rootfs = rootfs;
    this.missing = missing;
  }

  static MountPointStubs note(Path rootfs, Collection<String> targets) throws IOException {
    Set<String> missing = new LinkedHashSet<>();
    for (String target : targets) {
      String clean = Path.of("/").resolve(target).normalize().toString();
      if (clean.equals("/")) {
        continue;
      }
      String[] parts = clean.substring(1).split("/");
      String path = "";
      boolean absent = false;
      for (String part : parts) {
        path = path + "/" + part;
        if (absent) {
          missing.add(path);
          continue;
        }
        Path host = rootfs.resolve(path.substring(1));
        if (Files.isSymbolicLink(host)) {
          break;
        }
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
          absent = true;
          missing.add(path);
        } else if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
          break;
        }
      }
    }
    return new MountPointStubs(rootfs, new ArrayList<>(missing));
  }

  List<String> missing() {
    return List.copyOf(missing);
  }

  void removeCreated() throws IOException {
    List<String> deepestFirst = new ArrayList<>(missing);
    deepestFirst.sort(Comparator.comparingInt((String p) -> p.split("/").length).reversed());
    for (String path : deepestFirst) {
      Optional<Path> host = safeHostPath(path);
      if (host.isEmpty()) {
        continue;
      }
      Path file = host.get();
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        continue;
      }
      boolean empty = attrs.isRegularFile() && attrs.size() == 0
          || attrs.isDirectory() && isEmptyDirectory(file);
      if (!empty) {
        continue;
      }
      Path parent = file.getParent();
      BasicFileAttributes parentAttrs = Files.readAttributes(parent, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      FileTime modified = parentAttrs.lastModifiedTime();
      FileTime accessed = parentAttrs.lastAccessTime();
      Files.delete(file);
      Files.getFileAttributeView(parent, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(modified, accessed, null);
    }
  }

  private Optional<Path> safeHostPath(String path) {
    Path current = rootfs;
    String[] parts = path.substring(1).split("/");
    for (int i = 0; i < parts.length; i++) {
      current = current.resolve(parts[i]);
      if (i < parts.length - 1 && (Files.isSymbolicLink(current)
          || !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS))) {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    }
  }
}
