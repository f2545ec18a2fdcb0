package io.zlayer.adapters.sandbox.engine;

import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One layer of a stage's filesystem: its blob in the image store (as the manifest will list it),
 * its diff_id, and its unpacked directory.
 */
record LayerRef(Descriptor blob, Digest diffId, Path dir) {
  LayerRef {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(dir, "dir");
  }
}
