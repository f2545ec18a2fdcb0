package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.ScratchFiles;
import io.zlayer.domain.dockerfile.instructions.CacheSharing;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The directories of {@code RUN --mount=type=cache}, kept across builds under
 * {@code cache/mounts/<sha256 of id and base>/<n>}, and their sharing modes across threads and
 * processes, as BuildKit defines them:
 *
 * <ul>
 *   <li>{@code shared} (default): every user gets directory 0 at the same time (a shared lock,
 *       which only a {@code locked} user waits for);
 *   <li>{@code locked}: directory 0, alone; others wait;
 *   <li>{@code private}: the first directory nobody uses, a new one when all are in use.
 * </ul>
 */
final class CacheMounts {
  private static final int MAX_INSTANCES = 1024;

  private final Path dir;
  private final LockFiles locks;

  CacheMounts(Path dir, LockFiles locks) {
    this.dir = dir;
    this.locks = locks;
  }

  /** A cache directory in use; closing releases it. */
  record Lease(Path dir, LockFiles.Held held) implements AutoCloseable {
    @Override
    public void close() {
      held.close();
    }
  }

  /** Fills a new cache directory (for {@code from=}); it gets an empty directory to fill. */
  @FunctionalInterface
  interface Seed {
    void fill(Path emptyDir) throws IOException, InterruptedException;
  }

  /**
   * Takes the cache {@code id}; {@code base} names what a new cache starts from ("" for an empty
   * directory), and {@code seed} fills it when the directory is created.
   */
  Lease acquire(String id, String base, CacheSharing sharing, Optional<Seed> seed)
      throws IOException, InterruptedException {
    String name = Digest.sha256((id + "\n" + base).getBytes(StandardCharsets.UTF_8)).hex();
    Path group = dir.resolve(name);
    Files.createDirectories(group);
    if (sharing == CacheSharing.PRIVATE) {
      for (int n = 0; n < MAX_INSTANCES; n++) {
        Optional<LockFiles.Held> held = locks.tryExclusive(group.resolve(n + ".lock"));
        if (held.isPresent()) {
          return open(group, n, held.get(), seed);
        }
      }
      throw new IOException("all " + MAX_INSTANCES + " private instances of cache " + id
          + " are in use");
    }
    Path lock = group.resolve("0.lock");
    LockFiles.Held held = sharing == CacheSharing.LOCKED ? locks.exclusive(lock)
        : locks.shared(lock);
    return open(group, 0, held, seed);
  }

  private static Lease open(Path group, int n, LockFiles.Held held, Optional<Seed> seed)
      throws IOException, InterruptedException {
    try {
      Path instance = group.resolve(Integer.toString(n));
      if (!Files.isDirectory(instance, LinkOption.NOFOLLOW_LINKS)) {
        create(group, instance, seed);
      }
      return new Lease(instance, held);
    } catch (IOException | InterruptedException | RuntimeException e) {
      held.close();
      throw e;
    }
  }

  /** Creates the directory complete or not at all; shared users may race to create it. */
  private static void create(Path group, Path instance, Optional<Seed> seed)
      throws IOException, InterruptedException {
    Path temp = Files.createTempDirectory(group, "new-");
    try {
      if (seed.isPresent()) {
        seed.get().fill(temp);
      }
      try {
        Files.move(temp, instance, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.isDirectory(instance, LinkOption.NOFOLLOW_LINKS)) {
          throw e;
        }
        // another user created it first: use theirs
      }
    } finally {
      ScratchFiles.deleteQuietly(temp);
    }
  }
}
