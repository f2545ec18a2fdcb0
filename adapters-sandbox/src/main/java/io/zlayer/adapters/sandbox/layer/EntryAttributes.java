package io.zlayer.adapters.sandbox.layer;

import java.nio.file.attribute.FileTime;

/** Owner, permission bits (setuid, setgid and sticky included) and mtime for a new entry. */
public record EntryAttributes(int uid, int gid, int permissions, FileTime mtime) {
  public EntryAttributes {
    if ((permissions & ~07777) != 0) {
      throw new IllegalArgumentException("permissions hold only the low twelve mode bits: "
          + Integer.toOctalString(permissions));
    }
  }

  static EntryAttributes of(FileMetadata m) {
    return new EntryAttributes(m.uid(), m.gid(), m.permissions(), m.mtime());
  }
}
