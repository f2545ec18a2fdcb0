package io.zlayer.adapters.sandbox.engine;

import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a stage's filesystem: its blob in the image store (as the manifest will list it;
 * absent for the layers of stages that only feed {@code COPY --from} and mounts, which are never
 * compressed), its diff_id, and its unpacked directory.
 */
record LayerRef(Optional<Descriptor> blob, Digest diffId, Path dir) {
  LayerRef {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(dir, "dir");
  }
}
