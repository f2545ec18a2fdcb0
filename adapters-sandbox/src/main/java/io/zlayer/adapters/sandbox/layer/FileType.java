package io.zlayer.adapters.sandbox.layer;

/** The kind of a file system entry, from the {@code S_IFMT} bits of its mode. */
public enum FileType {
  REGULAR,
  DIRECTORY,
  SYMLINK,
  CHAR_DEVICE,
  BLOCK_DEVICE,
  FIFO,
  SOCKET;

  static final int S_IFMT = 0170000;

  static FileType fromMode(int mode) {
    switch (mode & S_IFMT) {
      case 0100000:
        return REGULAR;
      case 0040000:
        return DIRECTORY;
      case 0120000:
        return SYMLINK;
      case 0020000:
        return CHAR_DEVICE;
      case 0060000:
        return BLOCK_DEVICE;
      case 0010000:
        return FIFO;
      case 0140000:
        return SOCKET;
      default:
        throw new IllegalArgumentException("unknown file type in mode "
            + Integer.toOctalString(mode));
    }
  }

  /** Whether {@code mknod} creates this kind of entry. */
  boolean isSpecial() {
    return this == CHAR_DEVICE || this == BLOCK_DEVICE || this == FIFO;
  }
}
