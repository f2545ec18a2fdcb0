package io.zlayer.adapters.sandbox.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Removal of the engine's scratch trees: upper directories (with whiteout devices and files of
 * any owner), overlay work directories (which overlayfs leaves with mode 000), unpacks that
 * stopped half way. Symlinks are never followed.
 */
final class ScratchTrees {
  private ScratchTrees() {}

  static void delete(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Set<PosixFilePermission> permissions =
          Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> owner = EnumSet.of(PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
      if (!permissions.containsAll(owner)) {
        permissions.addAll(owner);
        Files.setPosixFilePermissions(path, permissions);
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        for (Path entry : entries) {
          delete(entry);
        }
      }
    }
    try {
      Files.delete(path);
    } catch (NoSuchFileException e) {
      // already gone
    }
  }

  /** Deletes and reports whether it worked; for cleanup paths that must not hide a failure. */
  static boolean deleteQuietly(Path path) {
    try {
      delete(path);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
