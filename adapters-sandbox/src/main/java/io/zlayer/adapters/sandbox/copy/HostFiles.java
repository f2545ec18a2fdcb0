package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.FileType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * File operations on the host that never follow a final symlink and never open a device node or
 * fifo: creating entries in an upper directory and setting their owner, mode and mtime.
 */
final class HostFiles {
  private static final boolean ROOT = effectiveUid() == 0;

  private HostFiles() {}

  /** Whether this process may give files any owner (effective uid 0). */
  static boolean isRoot() {
    return ROOT;
  }

  /**
   * Sets mtime, owner and permission bits, in that order (chown clears set-id bits, so the mode
   * comes last). Special files get their time from {@link #createSpecial}; symlinks keep their
   * mode.
   */
  static void applyMetadata(Path path, FileType type, int uid, int gid, int permissions,
      FileTime mtime) throws IOException {
    if (!type.equals(FileType.CHAR_DEVICE) && !type.equals(FileType.BLOCK_DEVICE)
        && !type.equals(FileType.FIFO)) {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(mtime, null, null);
    }
    if (ROOT) {
      try {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      } catch (FileSystemException e) {
        // an id this user namespace does not map (EINVAL): the file keeps the namespace's root
      }
    }
    if (type != FileType.SYMLINK) {
      Files.setAttribute(path, "unix:mode", permissions & 07777);
    }
  }

  /** Deletes an entry and everything below it; symlinks are removed, never followed. */
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

  /**
   * Creates a symlink whose target is exactly {@code target}; the JDK would normalize targets
   * such as "a//b" or "dir/", so those go through {@code ln}.
   */
  static void createSymlink(Path link, String target) throws IOException {
    if (!target.isEmpty() && Path.of(target).toString().equals(target)) {
      Files.createSymbolicLink(link, Path.of(target));
      return;
    }
    run(List.of("ln", "-s", "-T", "--", target, link.toString()), "create the symlink " + link);
  }

  /** Creates a device node or fifo with its permission bits and mtime (needs root for nodes). */
  static void createSpecial(Path path, FileType type, long major, long minor, int permissions,
      FileTime mtime) throws IOException {
    String kind;
    switch (type) {
      case CHAR_DEVICE:
        kind = "c";
        break;
      case BLOCK_DEVICE:
        kind = "b";
        break;
      case FIFO:
        kind = "p";
        break;
      default:
        throw new IllegalArgumentException("not a special file: " + type);
    }
    List<String> mknod = new ArrayList<>(List.of("mknod", "-m",
        Integer.toOctalString(permissions & 07777), "--", path.toString(), kind));
    if (!kind.equals("p")) {
      mknod.add(Long.toString(major));
      mknod.add(Long.toString(minor));
    }
    run(mknod, "create the " + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + " " + path.getFileName());
    String when = "@" + BigDecimal.valueOf(mtime.to(TimeUnit.SECONDS)).add(BigDecimal.valueOf(
        mtime.toInstant().getNano(), 9)).toPlainString();
    run(List.of("touch", "-h", "-m", "-d", when, "--", path.toString()),
        "set the time of " + path.getFileName());
  }

  private static void run(List<String> command, String what) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("cannot " + what + ": "
            + output.strip().lines().findFirst().orElse("exit " + p.exitValue()));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  private static long effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no procfs: decide by the account name
    }
    return "root".equals(System.getProperty("user.name")) ? 0 : -1;
  }
}
