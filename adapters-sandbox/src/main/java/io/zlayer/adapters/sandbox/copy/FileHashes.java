package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.domain.image.Digest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-256 of file contents with a persistent stat cache, the way git's index avoids rereading
 * files: a file whose size, mtime, ctime, inode and device are what they were when it was last
 * hashed keeps its hash. A file changed less than {@code racyWindow} before it was read is not
 * remembered (a second change within the filesystem's timestamp granularity would look the
 * same). Misses are read in parallel.
 */
final class FileHashes implements AutoCloseable {
  private static final String FILE_NAME = "content-hashes";
  private static final int MAGIC = 0x7a6c6831; // "zlh1"
  private static final int KEEP_DAYS = 30;
  private static final int THREADS = Math.max(2, Math.min(4,
      Runtime.getRuntime().availableProcessors()));

  private record Stat(long size, long mtime, long ctime, long ino, long dev) {
    static Stat of(FileMetadata m) {
      return new Stat(m.size(), m.mtime().to(TimeUnit.NANOSECONDS),
          m.ctime().to(TimeUnit.NANOSECONDS), m.ino(), m.dev());
    }
  }

  private record Known(Stat stat, byte[] sha256, int lastUsedDay) {}

  private final Path dir;
  private final Duration racyWindow;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private final AtomicLong filesRead = new AtomicLong();
  private final Object lock = new Object();
  private boolean loaded;
  private boolean dirty;
  private ExecutorService pool;

  FileHashes(Path dir, Duration racyWindow) {
    this.dir = dir;
    this.racyWindow = racyWindow;
  }

  /** How many files had their content read so far (cache misses). */
  long filesRead() {
    return filesRead.get();
  }

  /**
   * The content hashes of regular files, keyed by their host path. {@code remember} says whether
   * they may be kept in (and taken from) the persistent cache.
   */
  Map<Path, byte[]> hash(List<SourceEntry> files, boolean remember)
      throws IOException, InterruptedException {
    Map<Path, byte[]> result = new HashMap<>();
    List<SourceEntry> misses = new ArrayList<>();
    int today = today();
    if (remember) {
      load();
    }
    for (SourceEntry f : files) {
      if (result.containsKey(f.real())) {
        continue;
      }
      Known k = remember ? known.get(f.real().toString()) : null;
      if (k != null && k.stat.equals(Stat.of(f.metadata()))) {
        result.put(f.real(), k.sha256);
        if (k.lastUsedDay != today) {
          known.put(f.real().toString(), new Known(k.stat, k.sha256, today));
          markDirty();
        }
      } else {
        misses.add(f);
        result.put(f.real(), null);
      }
    }
    for (Map.Entry<SourceEntry, byte[]> e : read(misses).entrySet()) {
      SourceEntry f = e.getKey();
      result.put(f.real(), e.getValue());
      if (remember && !racy(f.metadata())) {
        known.put(f.real().toString(), new Known(Stat.of(f.metadata()), e.getValue(), today));
        markDirty();
      }
    }
    return result;
  }

  /**
   * Whether the file changed too recently to be remembered. The kernel sets ctime on every change
   * of content or metadata (mtimes can be set to anything, even the future), so ctime decides.
   */
  private boolean racy(FileMetadata m) {
    return m.ctime().toInstant().isAfter(Instant.now().minus(racyWindow));
  }

  private Map<SourceEntry, byte[]> read(List<SourceEntry> files)
      throws IOException, InterruptedException {
    Map<SourceEntry, byte[]> out = new HashMap<>();
    if (files.size() < 8) {
      for (SourceEntry f : files) {
        out.put(f, sha256(f.real()));
      }
      return out;
    }
    ExecutorService executor = pool();
    List<Future<byte[]>> futures = new ArrayList<>();
    for (SourceEntry f : files) {
      futures.add(executor.submit(() -> sha256(f.real())));
    }
    try {
      for (int i = 0; i < files.size(); i++) {
        out.put(files.get(i), futures.get(i).get());
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause);
    } finally {
      for (Future<byte[]> f : futures) {
        f.cancel(true);
      }
    }
    return out;
  }

  private byte[] sha256(Path file) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted");
    }
    filesRead.incrementAndGet();
    MessageDigest sha = Digest.newSha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha.update(buffer, 0, n);
      }
    }
    return sha.digest();
  }

  private ExecutorService pool() {
    synchronized (lock) {
      if (pool == null) {
        pool = Executors.newFixedThreadPool(THREADS, r -> {
          Thread t = new Thread(r, "zlayer-hash");
          t.setDaemon(true);
          return t;
        });
      }
      return pool;
    }
  }

  private void markDirty() {
    synchronized (lock) {
      dirty = true;
    }
  }

  private static int today() {
    return (int) LocalDate.now(ZoneOffset.UTC).toEpochDay();
  }

  private void load() {
    synchronized (lock) {
      if (loaded) {
        return;
      }
      loaded = true;
      Path file = dir.resolve(FILE_NAME);
      if (!Files.isRegularFile(file)) {
        return;
      }
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(
          Files.newInputStream(file)))) {
        if (in.readInt() != MAGIC) {
          return;
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
          String path = in.readUTF();
          Stat stat = new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
              in.readLong());
          byte[] sha = new byte[32];
          in.readFully(sha);
          int day = in.readInt();
          known.putIfAbsent(path, new Known(stat, sha, day));
        }
      } catch (IOException | RuntimeException e) {
        // a damaged cache only costs rereading the files
      }
    }
  }

  /** Writes the cache when it changed (atomically: a concurrent build sees old or new). */
  void save() throws IOException {
    synchronized (lock) {
      if (!dirty) {
        return;
      }
      Files.createDirectories(dir);
      int oldest = today() - KEEP_DAYS;
      Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
      try {
        List<Map.Entry<String, Known>> keep = new ArrayList<>();
        for (Map.Entry<String, Known> e : known.entrySet()) {
          if (e.getValue().lastUsedDay >= oldest) {
            keep.add(e);
          }
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
            Files.newOutputStream(tmp)))) {
          out.writeInt(MAGIC);
          out.writeInt(keep.size());
          for (Map.Entry<String, Known> e : keep) {
            Known k = e.getValue();
            out.writeUTF(e.getKey());
            out.writeLong(k.stat.size);
            out.writeLong(k.stat.mtime);
            out.writeLong(k.stat.ctime);
            out.writeLong(k.stat.ino);
            out.writeLong(k.stat.dev);
            out.write(k.sha256);
            out.writeInt(k.lastUsedDay);
          }
        }
        try {
          Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        }
        dirty = false;
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (pool != null) {
        pool.shutdownNow();
        pool = null;
      }
    }
  }
}
