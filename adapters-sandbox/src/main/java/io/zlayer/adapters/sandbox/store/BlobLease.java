package io.zlayer.adapters.sandbox.store;

import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A process's lease on blobs it wrote or found in a store but has not yet referenced from a
 * root: prune keeps them while the process lives. On disk it is {@code .zlayer/sessions/<id>.lock},
 * which the process keeps fcntl-locked for its whole life, and {@code <id>.leases}, the leased
 * digests one a line. The kernel drops the lock when the process ends, however it ends, so prune
 * tells live leases from dead ones by trying the lock. The id also prefixes the process's ingest
 * files. All methods except {@link #create} and {@link #present} run under the store lock.
 */
final class BlobLease {
  static final String DIRECTORY = "sessions";
  private static final String LOCK_SUFFIX = ".lock";
  private static final String LEASES_SUFFIX = ".leases";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final Path lockFile;
  private final Path leaseFile;
  private final FileChannel channel;
  /** How many times each digest was leased and not yet released. */
  private final Map<Digest, Integer> counts = new LinkedHashMap<>();

  private BlobLease(String id, Path lockFile, Path leaseFile, FileChannel channel) {
    this.id = id;
    this.lockFile = lockFile;
    this.leaseFile = leaseFile;
    this.channel = channel;
  }

  static BlobLease create(Path directory) throws IOException {
    Files.createDirectories(directory);
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    String id = HexFormat.of().formatHex(random);
    Path lockFile = directory.resolve(id + LOCK_SUFFIX);
    Path leaseFile = directory.resolve(id + LEASES_SUFFIX);
    FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException("cannot lock the new lease file " + lockFile);
      }
      channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)));
      Files.write(leaseFile, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(lockFile);
      throw e;
    }
    return new BlobLease(id, lockFile, leaseFile, channel);
  }

  String id() {
    return id;
  }

  boolean present() {
    return Files.exists(lockFile) && Files.exists(leaseFile);
  }

  Set<Digest> digests() {
    return Set.copyOf(counts.keySet());
  }

  void add(Digest digest) throws IOException {
    if (counts.merge(digest, 1, Integer::sum) == 1) {
      Files.writeString(leaseFile, digest + "\n", StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  void addAll(Collection<Digest> more) throws IOException {
    for (Digest d : more) {
      add(d);
    }
  }

  /**
   * Ends one lease on each digest a root now protects. Counting lets two writers of one process
   * share a blob: the first one's tag does not end the second one's lease.
   */
  void release(Collection<Digest> referenced) throws IOException {
    boolean changed = false;
    for (Digest d : new HashSet<>(referenced)) {
      Integer n = counts.get(d);
      if (n != null) {
        if (n == 1) {
          counts.remove(d);
          changed = true;
        } else {
          counts.put(d, n - 1);
        }
      }
    }
    if (changed) {
      StringBuilder text = new StringBuilder();
      counts.keySet().forEach(d -> text.append(d).append('\n'));
      // No temp file needed: prune reads this only under the store lock, which we hold, and a
      // crash ends the lease anyway.
      Files.writeString(leaseFile, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do: the lease is being dropped
    }
  }

  /** What prune learns about the other processes' leases. */
  record Others(Set<String> liveIds, Set<Digest> leased, long bytesFreed) {}

  /**
   * Looks at every lease but {@code ownId}: a live one (its lock is held) contributes its digests;
   * a dead one is deleted. Runs under the store lock, so no lease is being created meanwhile.
   */
  static Others scanOthers(Path directory, String ownId) throws IOException {
    Set<String> live = new HashSet<>();
    Set<Digest> leased = new HashSet<>();
    long freed = 0;
    if (!Files.isDirectory(directory)) {
      return new Others(live, leased, 0);
    }
    List<Path> files;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
      files = new java.util.ArrayList<>();
      ds.forEach(files::add);
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (!name.endsWith(LOCK_SUFFIX)) {
        continue;
      }
      String id = name.substring(0, name.length() - LOCK_SUFFIX.length());
      if (id.equals(ownId)) {
        continue;
      }
      if (isAlive(f)) {
        live.add(id);
        leased.addAll(readDigests(directory.resolve(id + LEASES_SUFFIX)));
      } else {
        freed += deleteCounting(f) + deleteCounting(directory.resolve(id + LEASES_SUFFIX));
      }
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(LEASES_SUFFIX)) {
        String id = name.substring(0, name.length() - LEASES_SUFFIX.length());
        if (!id.equals(ownId) && !live.contains(id)
            && !Files.exists(directory.resolve(id + LOCK_SUFFIX))) {
          freed += deleteCounting(f);
        }
      }
    }
    return new Others(live, leased, freed);
  }

  private static boolean isAlive(Path lockFile) throws IOException {
    // This JVM never opens another process's lease file except here, and holds no lock on it,
    // so closing this descriptor cannot drop a lock of ours.
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        return true;
      }
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static Set<Digest> readDigests(Path leaseFile) throws IOException {
    Set<Digest> out = new HashSet<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(leaseFile, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return out;
    }
    for (String line : lines) {
      try {
        out.add(Digest.parse(line.strip()));
      } catch (io.zlayer.domain.error.ImageFormatException e) {
        // lines are written under the store lock; only a crash mid-write leaves a torn one
      }
    }
    return out;
  }

  static long deleteCounting(Path f) throws IOException {
    try {
      long size = Files.size(f);
      Files.delete(f);
      return size;
    } catch (NoSuchFileException e) {
      return 0;
    }
  }
}
