package io.zlayer.adapters.sandbox.run;

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
 * Removal of scratch trees of the sandbox and the engine: upper directories (with whiteout
 * devices and files of any owner), overlay work directories (which overlayfs leaves with mode
 * 000), unpacks that stopped half way. Symlinks are never followed.
 */
public final class ScratchFiles {
  private ScratchFiles() {}

  /** Deletes a tree without following symlinks, making directories writable as needed. */
  public static void delete(Path path) throws IOException {
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
  public static boolean deleteQuietly(Path path) {
    try {
      delete(path);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
