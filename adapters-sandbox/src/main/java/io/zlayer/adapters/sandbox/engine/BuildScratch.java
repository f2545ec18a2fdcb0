package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.ScratchFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The scratch directory of one build, {@code tmp/<id>/}, held through the lock file
 * {@code tmp/<id>.lock} while the build runs. Everything a build creates before it is complete
 * (upper directories, unpacks, overlay work directories, materialized mounts) lives here, on the
 * same file system as the layers, and goes when the build ends, however it ends. Scratch
 * directories of processes that died without cleaning up are swept when the next build starts:
 * their lock is free.
 */
final class BuildScratch implements AutoCloseable {
  private static final String LOCK_SUFFIX = ".lock";

  private final Path dir;
  private final Path lockFile;
  private final LockFiles.Held lock;

  private BuildScratch(Path dir, Path lockFile, LockFiles.Held lock) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /** Sweeps abandoned scratch directories, then creates this build's. */
  static BuildScratch create(SandboxEngineSettings settings, LockFiles locks)
      throws IOException, InterruptedException {
    Path tmp = settings.scratchDir();
    Files.createDirectories(tmp);
    Path creation = settings.locksDir().resolve("scratch.lock");
    sweep(tmp, creation, locks);
    // Creators hold the creation lock shared, so a sweep never sees a lock file not yet locked.
    try (LockFiles.Held creating = locks.shared(creation)) {
      String id = UUID.randomUUID().toString();
      Path lockFile = tmp.resolve(id + LOCK_SUFFIX);
      LockFiles.Held held = locks.exclusive(lockFile);
      try {
        Path dir = Files.createDirectory(tmp.resolve(id));
        return new BuildScratch(dir, lockFile, held);
      } catch (IOException | RuntimeException e) {
        held.close();
        throw e;
      }
    }
  }

  /** Removes the scratch of builds that are not running; returns how many were removed. */
  static int sweep(SandboxEngineSettings settings, LockFiles locks) throws IOException {
    Path tmp = settings.scratchDir();
    if (!Files.isDirectory(tmp)) {
      return 0;
    }
    Files.createDirectories(settings.locksDir());
    return sweep(tmp, settings.locksDir().resolve("scratch.lock"), locks);
  }

  private static int sweep(Path tmp, Path creation, LockFiles locks) throws IOException {
    Optional<LockFiles.Held> exclusive = locks.tryExclusive(creation);
    if (exclusive.isEmpty()) {
      return 0; // another build is starting or sweeping; the next build sweeps
    }
    int removed = 0;
    try (LockFiles.Held held = exclusive.get()) {
      List<Path> entries = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(tmp)) {
        stream.forEach(entries::add);
      }
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.endsWith(LOCK_SUFFIX)) {
          continue;
        }
        Path lockFile = tmp.resolve(name + LOCK_SUFFIX);
        if (!Files.exists(lockFile)) {
          if (ScratchFiles.deleteQuietly(entry)) {
            removed++;
          }
          continue;
        }
        Optional<LockFiles.Held> owner = locks.tryExclusive(lockFile);
        if (owner.isPresent()) {
          try (LockFiles.Held stale = owner.get()) {
            if (ScratchFiles.deleteQuietly(entry)) {
              Files.deleteIfExists(lockFile);
              removed++;
            }
          }
        }
      }
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(tmp, "*" + LOCK_SUFFIX)) {
        for (Path lockFile : stream) {
          String name = lockFile.getFileName().toString();
          Path owned = tmp.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
          if (Files.exists(owned)) {
            continue;
          }
          Optional<LockFiles.Held> owner = locks.tryExclusive(lockFile);
          if (owner.isPresent()) {
            try (LockFiles.Held stale = owner.get()) {
              Files.deleteIfExists(lockFile);
            }
          }
        }
      }
    }
    return removed;
  }

  Path dir() {
    return dir;
  }

  /** A new, empty directory inside the scratch directory, private to zlayer (mode 0700). */
  Path newDirectory(String prefix) throws IOException {
    return Files.createTempDirectory(dir, prefix);
  }

  /**
   * A new, empty directory that becomes a filesystem root (a layer, a mounted tree), so with the
   * mode of one: 0755, as a root directory of an image has. Overlayfs shows the upper
   * directory's own mode as the mode of {@code /}.
   */
  Path newRootDirectory(String prefix) throws IOException {
    Path root = Files.createTempDirectory(dir, prefix);
    Files.setAttribute(root, "unix:mode", 0755);
    return root;
  }

  /** Deletes the scratch directory; the lock file goes with it when the deletion worked. */
  @Override
  public void close() {
    try {
      if (ScratchFiles.deleteQuietly(dir)) {
        Files.deleteIfExists(lockFile);
      }
    } catch (IOException e) {
      // the next build's sweep removes the lock file
    } finally {
      lock.close();
    }
  }
}
