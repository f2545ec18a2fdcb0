package io.zlayer.adapters.sandbox.layer;

import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

/**
 * One tar entry's header after PAX and GNU extensions have been applied. {@code name} is the raw
 * name from the archive (not yet cleaned); {@code xattrs} holds the SCHILY.xattr records with
 * their values as raw bytes. {@code size} is the size of the file; for a sparse file,
 * {@code sparse} lists where its data fragments go and the entry's content is those fragments
 * one after the other.
 */
record TarHeader(String name, Kind kind, long size, int permissions, long uid, long gid,
    FileTime mtime, String linkName, long devMajor, long devMinor, Map<String, byte[]> xattrs,
    List<Fragment> sparse) {

  /** A data fragment of a sparse file: {@code length} bytes at {@code offset}. */
  record Fragment(long offset, long length) {}

  /** The entry kinds a layer can hold. */
  enum Kind {
    REGULAR,
    DIRECTORY,
    SYMLINK,
    HARD_LINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    FIFO
  }
}
