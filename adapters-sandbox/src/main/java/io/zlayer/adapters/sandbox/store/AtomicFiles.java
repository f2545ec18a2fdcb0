package io.zlayer.adapters.sandbox.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Replacing files so that a crash leaves either the old or the new content, never a mix. */
final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code content} to {@code temp}, flushes it to disk, renames it over {@code target}
   * and flushes the directory entry. {@code temp} must be on the same file system and must not be
   * used by anyone else meanwhile (callers hold the store lock).
   */
  static void replace(Path target, byte[] content, Path temp) throws IOException {
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(target.getParent());
  }

  /** Makes renames and creations in {@code dir} durable, where the file system allows it. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot fsync a directory; the rename itself is still atomic there.
    }
  }
}
