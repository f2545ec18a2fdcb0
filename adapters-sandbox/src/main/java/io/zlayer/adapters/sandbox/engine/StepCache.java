package io.zlayer.adapters.sandbox.engine;

import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.LayerCompression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Instant;
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
 * <p>or {@code no-change} instead of the layer and blob lines, then {@code created <epoch
 * seconds>} (absent in entries written by earlier versions).
 */
final class StepCache {
  private static final String HEADER = "zlayer-step-cache 1";

  private final Path dir;

  StepCache(Path dir) {
    this.dir = dir;
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
      sb.append("no-change\n");
    } else {
      sb.append("layer ").append(step.diffId().get()).append('\n');
      for (CachedStep.Blob blob : step.blobs()) {
        sb.append("blob ").append(blob.compression().name().toLowerCase(Locale.ROOT)).append(' ')
            .append(blob.digest()).append(' ').append(blob.size()).append('\n');
      }
    }
    step.created().ifPresent(t -> sb.append("created ").append(t.getEpochSecond()).append('\n'));
    return sb.toString();
  }

  static Optional<CachedStep> parse(String text) {
    String[] lines = text.split("\n");
    if (lines.length < 2 || !lines[0].equals(HEADER)) {
      return Optional.empty();
    }
    try {
      int end = lines.length;
      Optional<Instant> created = Optional.empty();
      if (lines[end - 1].startsWith("created ")) {
        created = Optional.of(Instant.ofEpochSecond(Long.parseLong(lines[--end].substring(8))));
      }
      if (lines[1].equals("no-change") && end == 2) {
        return Optional.of(new CachedStep(Optional.empty(), List.of(), created));
      }
      if (!lines[1].startsWith("layer ")) {
        return Optional.empty();
      }
      Digest diffId = Digest.parse(lines[1].substring(6));
      List<CachedStep.Blob> blobs = new ArrayList<>();
      for (int i = 2; i < end; i++) {
        String[] f = lines[i].split(" ");
        if (f.length != 4 || !f[0].equals("blob")) {
          return Optional.empty();
        }
        blobs.add(new CachedStep.Blob(LayerCompression.valueOf(f[1].toUpperCase(Locale.ROOT)),
            Digest.parse(f[2]), Long.parseLong(f[3])));
      }
      return Optional.of(new CachedStep(Optional.of(diffId), blobs, created));
    } catch (ImageFormatException | IllegalArgumentException | DateTimeException e) {
      return Optional.empty();
    }
  }
}
