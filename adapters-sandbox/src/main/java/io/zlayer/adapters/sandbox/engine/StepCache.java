package io.zlayer.adapters.sandbox.engine;

import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.LayerCompression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The step cache on disk: {@code cache/steps/<key hex>} holds a {@link CachedStep} as a few
 * lines of text. An entry is written in the build's scratch directory, flushed, and renamed into
 * place, so a reader sees a whole entry or none. An entry that cannot be read is a miss.
 *
 * <pre>
 * zlayer-step-cache 1
 * layer sha256:&lt;diff_id&gt;
 * blob gzip sha256:&lt;digest&gt; &lt;size&gt;
 * </pre>
 *
 * <p>or {@code no-change} instead of the layer and blob lines.
 */
final class StepCache {
  private static final String HEADER = "zlayer-step-cache 1";

  private final Path dir;
  private final Path seenDir;

  StepCache(Path dir, Path seenDir) {
    this.dir = dir;
    this.seenDir = seenDir;
  }

  Optional<CachedStep> lookup(CacheKey key) throws IOException {
    String text;
    try {
      text = Files.readString(dir.resolve(key.hex()), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return parse(text);
  }

  /**
   * When the entry was written, to the second: the time its layer was made. An entry is only
   * rewritten when a blob in another compression is added, which gives another image anyway.
   */
  Optional<Instant> createdAt(CacheKey key) {
    try {
      return Optional.of(Files.getLastModifiedTime(dir.resolve(key.hex())).toInstant()
          .truncatedTo(ChronoUnit.SECONDS));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a step of this shape (its parent and instruction, without the digest of what it
   * copies) was recorded before: when not, the engine knows a COPY misses before it hashes the
   * sources, and hashes them while copying. A hint only: a wrong answer costs time, not
   * correctness.
   */
  boolean seenBefore(CacheKey shape) {
    return Files.exists(seenDir.resolve(shape.hex()));
  }

  void noteSeen(CacheKey shape) throws IOException {
    Files.createDirectories(seenDir);
    try {
      Files.createFile(seenDir.resolve(shape.hex()));
    } catch (FileAlreadyExistsException e) {
      // noted before (say, the entry was pruned, or another build was first)
    }
  }

  void record(CacheKey key, CachedStep step, BuildScratch scratch) throws IOException {
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(scratch.dir(), "cache-entry-", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(format(step).getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temp, dir.resolve(key.hex()), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  static String format(CachedStep step) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    if (step.diffId().isEmpty()) {
      return sb.append("no-change\n").toString();
    }
    sb.append("layer ").append(step.diffId().get()).append('\n');
    for (CachedStep.Blob blob : step.blobs()) {
      sb.append("blob ").append(blob.compression().name().toLowerCase(Locale.ROOT)).append(' ')
          .append(blob.digest()).append(' ').append(blob.size()).append('\n');
    }
    return sb.toString();
  }

  static Optional<CachedStep> parse(String text) {
    String[] lines = text.split("\n");
    if (lines.length < 2 || !lines[0].equals(HEADER)) {
      return Optional.empty();
    }
    try {
      if (lines[1].equals("no-change") && lines.length == 2) {
        return Optional.of(CachedStep.noChange());
      }
      if (!lines[1].startsWith("layer ")) {
        return Optional.empty();
      }
      Digest diffId = Digest.parse(lines[1].substring(6));
      List<CachedStep.Blob> blobs = new ArrayList<>();
      for (int i = 2; i < lines.length; i++) {
        String[] f = lines[i].split(" ");
        if (f.length != 4 || !f[0].equals("blob")) {
          return Optional.empty();
        }
        blobs.add(new CachedStep.Blob(LayerCompression.valueOf(f[1].toUpperCase(Locale.ROOT)),
            Digest.parse(f[2]), Long.parseLong(f[3])));
      }
      return Optional.of(new CachedStep(Optional.of(diffId), blobs));
    } catch (ImageFormatException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
