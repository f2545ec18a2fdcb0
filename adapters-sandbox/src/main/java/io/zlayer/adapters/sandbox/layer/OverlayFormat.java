package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.Map;

/**
 * The two ways a layer says "delete": in a layer tar, {@code .wh.NAME} files and a
 * {@code .wh..wh..opq} marker; in a layer directory (overlayfs with userxattr), a 0/0 character
 * device and the {@code user.overlay.opaque=y} attribute.
 */
final class OverlayFormat {
  static final String WHITEOUT_PREFIX = ".wh.";
  static final String OPAQUE_MARKER = ".wh..wh..opq";
  /** AUFS metadata ({@code .wh..wh.plnk} and friends): never part of the image content. */
  static final String AUFS_META_PREFIX = ".wh..wh.";

  private static final String OPAQUE_NAME = "overlay.opaque";
  private static final byte[] YES = {'y'};

  private OverlayFormat() {}

  /** Whether a directory in a layer directory is opaque (hides everything below it). */
  static boolean isOpaque(Path dir) throws IOException {
    UserDefinedFileAttributeView view = view(dir);
    try {
      if (!view.list().contains(OPAQUE_NAME)) {
        return false;
      }
      ByteBuffer value = ByteBuffer.allocate(view.size(OPAQUE_NAME));
      view.read(OPAQUE_NAME, value);
      return Arrays.equals(value.array(), YES);
    } catch (FileSystemException e) {
      if (e.getMessage() != null && e.getMessage().contains("not supported")) {
        return false;
      }
      throw e;
    }
  }

  static void setOpaque(Path dir) throws IOException {
    view(dir).write(OPAQUE_NAME, ByteBuffer.wrap(YES));
  }

  static void clearOpaque(Path dir) throws IOException {
    UserDefinedFileAttributeView view = view(dir);
    if (view.list().contains(OPAQUE_NAME)) {
      view.delete(OPAQUE_NAME);
    }
  }

  /** Opaqueness as read from a full attribute map (userxattr or trusted format). */
  static boolean isOpaque(Map<String, byte[]> xattrs) {
    return Arrays.equals(xattrs.get("user.overlay.opaque"), YES)
        || Arrays.equals(xattrs.get("trusted.overlay.opaque"), YES);
  }

  /**
   * The overlayfs features that make an upper directory depend on its lower layers (renamed
   * directories, metadata-only copy-up); a layer cannot be written from such a directory.
   */
  static String unsupportedFeature(Map<String, byte[]> xattrs) {
    for (String name : xattrs.keySet()) {
      if (name.endsWith(".overlay.redirect")) {
        return "a redirected (renamed) directory; mount overlayfs with redirect_dir=off";
      }
      if (name.endsWith(".overlay.metacopy")) {
        return "a metadata-only copy-up; mount overlayfs with metacopy=off";
      }
    }
    return null;
  }

  private static UserDefinedFileAttributeView view(Path dir) {
    return Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
  }
}
