package io.zlayer.adapters.buildah;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The private directory of one build (OCI layouts for buildah, heredoc files, secrets, empty
 * directories), removed when the build ends however it ends.
 */
final class BuildWorkspace implements AutoCloseable {
  private final Path dir;
  private final String id;
  private final AtomicInteger counter = new AtomicInteger();

  private BuildWorkspace(Path dir, String id) {
    this.dir = dir;
    this.id = id;
  }

  static BuildWorkspace create(Path workRoot) throws IOException {
    Files.createDirectories(workRoot);
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String id = HexFormat.of().formatHex(random);
    Path dir = workRoot.resolve("build-" + id);
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    return new BuildWorkspace(dir, id);
  }

  /** A short random ID naming this build's containers. */
  String id() {
    return id;
  }

  Path dir() {
    return dir;
  }

  /** A new empty directory {@code <purpose>-<n>} (lower case, so buildah can name layouts). */
  Path newDirectory(String purpose) throws IOException {
    Path p = dir.resolve(purpose + "-" + counter.incrementAndGet());
    Files.createDirectory(p);
    return p;
  }

  /** A new name for a working container. */
  String containerName() {
    return "zlayer-" + id + "-" + counter.incrementAndGet();
  }

  @Override
  public void close() {
    deleteTree(dir);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // leftovers in the temp directory do no harm
    }
  }
}
