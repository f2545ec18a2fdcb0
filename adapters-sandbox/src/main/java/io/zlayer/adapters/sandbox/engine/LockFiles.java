package io.zlayer.adapters.sandbox.engine;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Shared and exclusive locks on files, across the threads of this JVM and across processes (two
 * zlayer builds may run at once). A read-write lock per file orders the threads of this JVM; the
 * first holder also takes an fcntl lock ({@link FileChannel#lock}) for other processes.
 *
 * <p>POSIX drops every fcntl lock a process holds on a file as soon as the process closes any
 * descriptor of that file, and the JDK refuses overlapping locks within one JVM. So per file this
 * class opens one channel at a time: an exclusive holder owns it, shared holders share it, and it
 * is closed only when the last of them is done. Lock files are never deleted (deleting one while
 * another process waits on it would let two processes in). Locks are not reentrant: a thread
 * must not lock a file it holds.
 */
final class LockFiles {
  /** The locks of this JVM: there must be one instance, as fcntl locks belong to the process. */
  static final LockFiles JVM = new LockFiles();

  private final ConcurrentMap<Path, Slot> slots = new ConcurrentHashMap<>();

  /** A held lock; closing it releases the lock. Close it on the thread that took it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  private static final class Slot {
    final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
    final ReentrantLock sharedGuard = new ReentrantLock();
    int sharedHolders;
    FileChannel sharedChannel;
    FileLock sharedLock;
  }

  private LockFiles() {}

  private Slot slot(Path file) {
    return slots.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Slot());
  }

  /** Waits until no thread or process holds {@code file}, then holds it alone. */
  Held exclusive(Path file) throws IOException, InterruptedException {
    Slot slot = slot(file);
    requireNotHeld(slot, file);
    ReentrantReadWriteLock.WriteLock write = slot.threads.writeLock();
    write.lockInterruptibly();
    try {
      FileChannel channel = open(file);
      try {
        FileLock lock = channel.lock();
        return () -> {
          release(lock, channel);
          write.unlock();
        };
      } catch (IOException | RuntimeException e) {
        closeQuietly(channel);
        throw interruptedOr(e);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      write.unlock();
      throw e;
    }
  }

  /** Holds {@code file} alone when nobody holds it now; empty otherwise. */
  Optional<Held> tryExclusive(Path file) throws IOException {
    Slot slot = slot(file);
    requireNotHeld(slot, file);
    ReentrantReadWriteLock.WriteLock write = slot.threads.writeLock();
    if (!write.tryLock()) {
      return Optional.empty();
    }
    try {
      FileChannel channel = open(file);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (IOException | RuntimeException e) {
        closeQuietly(channel);
        throw e;
      }
      if (lock == null) {
        closeQuietly(channel);
        write.unlock();
        return Optional.empty();
      }
      return Optional.of(() -> {
        release(lock, channel);
        write.unlock();
      });
    } catch (IOException | RuntimeException e) {
      if (write.isHeldByCurrentThread()) {
        write.unlock();
      }
      throw e;
    }
  }

  /** Waits until no exclusive holder is left, then holds {@code file} with other readers. */
  Held shared(Path file) throws IOException, InterruptedException {
    Slot slot = slot(file);
    if (slot.threads.isWriteLockedByCurrentThread()) {
      throw new IOException("the lock " + file + " is already held by this step");
    }
    ReentrantReadWriteLock.ReadLock read = slot.threads.readLock();
    read.lockInterruptibly();
    try {
      slot.sharedGuard.lockInterruptibly();
      try {
        if (slot.sharedHolders == 0) {
          FileChannel channel = open(file);
          try {
            slot.sharedLock = channel.lock(0, Long.MAX_VALUE, true);
            slot.sharedChannel = channel;
          } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw interruptedOr(e);
          }
        }
        slot.sharedHolders++;
      } finally {
        slot.sharedGuard.unlock();
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      read.unlock();
      throw e;
    }
    return () -> {
      slot.sharedGuard.lock();
      try {
        if (--slot.sharedHolders == 0) {
          release(slot.sharedLock, slot.sharedChannel);
          slot.sharedLock = null;
          slot.sharedChannel = null;
        }
      } finally {
        slot.sharedGuard.unlock();
        read.unlock();
      }
    };
  }

  /** A thread asking again for a lock it holds would wait for itself forever. */
  private static void requireNotHeld(Slot slot, Path file) throws IOException {
    if (slot.threads.isWriteLockedByCurrentThread() || slot.threads.getReadHoldCount() > 0) {
      throw new IOException("the lock " + file + " is already held by this step");
    }
  }

  private static FileChannel open(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  private static void release(FileLock lock, FileChannel channel) {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // closing the channel below releases it as well
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was written through it
    }
  }

  /** An interrupt while waiting for an fcntl lock closes the channel; report it as such. */
  private static IOException interruptedOr(Exception e) throws InterruptedException {
    if (e instanceof FileLockInterruptionException || e instanceof AsynchronousCloseException
        || Thread.currentThread().isInterrupted()) {
      Thread.interrupted();
      InterruptedException interrupted = new InterruptedException("interrupted waiting for a lock");
      interrupted.initCause(e);
      throw interrupted;
    }
    if (e instanceof IOException io) {
      return io;
    }
    throw (RuntimeException) e;
  }
}
