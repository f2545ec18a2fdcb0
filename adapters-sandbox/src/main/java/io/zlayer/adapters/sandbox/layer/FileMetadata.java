package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code lstat} says about an entry: never follows a symlink. {@code permissions} holds the
 * low twelve mode bits (rwx plus setuid, setgid and sticky).
 */
public record FileMetadata(FileType type, int permissions, int uid, int gid, long size,
    FileTime mtime, FileTime ctime, long ino, long dev, int nlink, long rdev) {

  private static final String ATTRIBUTES =
      "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,ctime";

  /** Reads an entry's metadata without following a final symlink. */
  public static FileMetadata read(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    return new FileMetadata(FileType.fromMode(mode), mode & 07777, (Integer) a.get("uid"),
        (Integer) a.get("gid"), (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"),
        (FileTime) a.get("ctime"), (Long) a.get("ino"), (Long) a.get("dev"),
        (Integer) a.get("nlink"), (Long) a.get("rdev"));
  }

  /** Like {@link #read} but empty when nothing is there (or a parent is not a directory). */
  public static Optional<FileMetadata> readIfExists(Path path) throws IOException {
    try {
      return Optional.of(read(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (FileSystemException e) {
      if ("Not a directory".equals(e.getReason())) {
        return Optional.empty(); // ENOTDIR: a parent is a file, so nothing is there
      }
      throw e;
    }
  }

  public boolean isDirectory() {
    return type == FileType.DIRECTORY;
  }

  public boolean isSymlink() {
    return type == FileType.SYMLINK;
  }

  public boolean isRegular() {
    return type == FileType.REGULAR;
  }

  /** An overlayfs whiteout: a character device with device number 0/0. */
  public boolean isWhiteout() {
    return type == FileType.CHAR_DEVICE && rdev == 0;
  }

  /** The major device number, decoded the way glibc's {@code gnu_dev_major} does. */
  public long devMajor() {
    return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
  }

  public long devMinor() {
    return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
  }

  /** The full st_mode: type bits plus permissions. */
  public int mode() {
    return typeBits(type) | permissions;
  }

  static int typeBits(FileType type) {
    switch (type) {
      case REGULAR:
        return 0100000;
      case DIRECTORY:
        return 0040000;
      case SYMLINK:
        return 0120000;
      case CHAR_DEVICE:
        return 0020000;
      case BLOCK_DEVICE:
        return 0060000;
      case FIFO:
        return 0010000;
      default:
        return 0140000;
    }
  }
}
