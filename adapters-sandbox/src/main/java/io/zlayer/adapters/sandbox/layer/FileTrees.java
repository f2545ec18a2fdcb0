package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * File operations that never follow a symlink and never open a device node or fifo (the JDK's
 * setTimes and mode changes through a descriptor would). Callers pass paths whose parents they
 * have already checked.
 */
final class FileTrees {
  private FileTrees() {}

  /** Deletes an entry and, for a directory, everything below it; symlinks are not followed. */
  static void deleteRecursively(Path path) throws IOException {
    FileMetadata m;
    try {
      m = FileMetadata.read(path);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!m.isDirectory()) {
      Files.delete(path);
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes the children of a directory, keeping the directory. */
  static void deleteChildren(Path dir) throws IOException {
    try (var children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        deleteRecursively(child);
      }
    }
  }

  /**
   * Sets times, owner and mode, in that order: the mtime is not changed by chown or chmod, and
   * setting times opens a regular file, which a mode like 0000 would forbid to a non-root
   * process. Device nodes and fifos get their times from {@link DeviceNodes}, not here.
   * Returns false when the owner could not be set (an id outside this user namespace).
   */
  static boolean applyMetadata(Path path, FileType type, FileTime mtime, long uid, long gid,
      int permissions, boolean chown) throws IOException {
    if (mtime != null && !type.isSpecial()) {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(mtime, null, null);
    }
    boolean owned = true;
    if (chown) {
      try {
        Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
      } catch (FileSystemException e) {
        owned = false; // an id not mapped into this user namespace (EINVAL)
      }
    }
    if (type != FileType.SYMLINK) {
      // path-based chmod(2): the final component is known not to be a symlink
      Files.setAttribute(path, "unix:mode", permissions & 07777);
    }
    return owned;
  }

  /**
   * Creates a symlink whose target is exactly {@code target}. The JDK normalizes paths ("a//b"
   * becomes "a/b", a trailing slash goes), which would change such targets; those go through
   * {@code ln}.
   */
  static void createSymlink(Path link, String target) throws IOException {
    if (Path.of(target).toString().equals(target)) {
      Files.createSymbolicLink(link, Path.of(target));
      return;
    }
    Process p = new ProcessBuilder("ln", "-s", "-T", "--", target, link.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("cannot create the symlink " + link + ": " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Copies a regular file's content into a new file. */
  static void copyContent(Path from, Path to) throws IOException {
    try (InputStream in = Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS);
        OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      in.transferTo(out);
    }
  }
}
