package io.zlayer.adapters.sandbox.engine;

import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.LayerCompression;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a cached step produced: no change at all, or a layer, known by its diff_id (its unpacked
 * directory is {@code layers/<diff_id hex>}) and by the blobs written of it so far, one per
 * compression.
 *
 * @param diffId the layer's diff_id; empty when the step changed nothing
 * @param blobs the compressed forms in the image store
 */
record CachedStep(Optional<Digest> diffId, List<Blob> blobs) {
  CachedStep {
    Objects.requireNonNull(diffId, "diffId");
    blobs = List.copyOf(blobs);
    if (diffId.isEmpty() && !blobs.isEmpty()) {
      throw new IllegalArgumentException("a step without a layer has no blobs");
    }
  }

  /** A layer blob: compressed bytes in the store. */
  record Blob(LayerCompression compression, Digest digest, long size) {}

  static CachedStep noChange() {
    return new CachedStep(Optional.empty(), List.of());
  }

  /** A layer not compressed yet (of a stage whose layers are not in the image). */
  static CachedStep layer(Digest diffId) {
    return new CachedStep(Optional.of(diffId), List.of());
  }

  static CachedStep layer(Digest diffId, Blob blob) {
    return new CachedStep(Optional.of(diffId), List.of(blob));
  }

  Optional<Blob> blob(LayerCompression compression) {
    return blobs.stream().filter(b -> b.compression() == compression).findFirst();
  }

  /** This entry with {@code blob} added (replacing one of the same compression). */
  CachedStep with(Blob blob) {
    List<Blob> all = new ArrayList<>();
    for (Blob b : blobs) {
      if (b.compression() != blob.compression()) {
        all.add(b);
      }
    }
    all.add(blob);
    return new CachedStep(diffId, all);
  }
}
