package io.zlayer.adapters.sandbox.store;

import io.zlayer.domain.error.StoreException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock of one store, across threads and processes: a {@link ReentrantLock} for the
 * threads of this JVM, then an fcntl lock ({@link FileChannel#lock()}) on {@code .zlayer/lock}
 * for other processes.
 *
 * <p>There is one instance per store directory per JVM, and it keeps its channel open: POSIX
 * drops every lock a process holds on a file as soon as the process closes <em>any</em>
 * descriptor of that file, so this JVM must never open the lock file twice. For the same reason
 * it also owns this JVM's {@link BlobLease} on the store.
 */
final class StoreLock {
  private static final ConcurrentMap<Path, StoreLock> BY_DIRECTORY = new ConcurrentHashMap<>();

  private final Path metaDir;
  private final Path lockFile;
  private final ReentrantLock threads = new ReentrantLock();
  private FileChannel channel;
  private Object channelFileKey;
  private FileLock fileLock;
  private BlobLease lease;

  private StoreLock(Path metaDir) {
    this.metaDir = metaDir;
    this.lockFile = metaDir.resolve("lock");
  }

  /** The lock of the store whose private directory is {@code metaDir} (created if missing). */
  static StoreLock of(Path metaDir) throws IOException {
    Files.createDirectories(metaDir);
    return BY_DIRECTORY.computeIfAbsent(metaDir.toRealPath(), StoreLock::new);
  }

  interface Action<T> {
    T run() throws IOException, StoreException;
  }

  /** Runs {@code action} holding the store lock; nested calls on one thread lock only once. */
  <T> T exclusive(Action<T> action) throws IOException, StoreException {
    threads.lock();
    try {
      boolean outermost = threads.getHoldCount() == 1;
      if (outermost) {
        acquireFileLock();
      }
      try {
        return action.run();
      } finally {
        if (outermost) {
          releaseFileLock();
        }
      }
    } finally {
      threads.unlock();
    }
  }

  /**
   * This JVM's lease on the store, created on first use. Only call while holding the lock. A
   * lease whose files vanished (the store was deleted under us) is replaced by a fresh one.
   */
  BlobLease lease() throws IOException {
    requireHeld();
    if (lease != null && !lease.present()) {
      BlobLease old = lease;
      lease = null;
      old.close();
      BlobLease fresh = BlobLease.create(metaDir.resolve(BlobLease.DIRECTORY));
      fresh.addAll(old.digests());
      lease = fresh;
    }
    if (lease == null) {
      lease = BlobLease.create(metaDir.resolve(BlobLease.DIRECTORY));
    }
    return lease;
  }

  /** This JVM's lease when it has one; only call while holding the lock. */
  Optional<BlobLease> existingLease() {
    requireHeld();
    return Optional.ofNullable(lease);
  }

  private void requireHeld() {
    if (!threads.isHeldByCurrentThread()) {
      throw new IllegalStateException("the store lock is not held");
    }
  }

  private void acquireFileLock() throws IOException {
    for (int attempt = 0; ; attempt++) {
      if (channel == null || !channel.isOpen()) {
        Files.createDirectories(metaDir);
        channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channelFileKey = fileKey(lockFile);
      }
      try {
        fileLock = channel.lock();
      } catch (ClosedChannelException e) {
        // An interrupt closes the channel (ClosedByInterruptException); reopen next time.
        channel = null;
        throw e;
      }
      // Someone may have deleted the store (and so the lock file) while we waited; a lock on a
      // deleted inode excludes nobody, so start again on the file that is there now.
      Object now = fileKey(lockFile);
      boolean same = channelFileKey == null ? Files.exists(lockFile)
          : Objects.equals(now, channelFileKey);
      if (same) {
        return;
      }
      fileLock.release();
      fileLock = null;
      channel.close();
      channel = null;
      if (attempt >= 10) {
        throw new IOException("the lock file " + lockFile + " keeps disappearing");
      }
    }
  }

  private void releaseFileLock() throws IOException {
    FileLock held = fileLock;
    fileLock = null;
    if (held != null && held.isValid()) {
      held.release();
    }
  }

  private static Object fileKey(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
