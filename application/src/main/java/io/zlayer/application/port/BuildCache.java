package io.zlayer.application.port;

import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import java.util.Set;

/**
 * What a build engine keeps beside the image store to make builds fast: unpacked layers, step
 * cache entries, scratch space of builds. {@code zlayer prune} clears what no image in the store
 * needs any more.
 */
public interface BuildCache {
  /**
   * Removes unpacked layers whose diff_id is not in {@code referenced}, step cache entries that
   * lead to such a layer, and scratch left by builds that are no longer running. A build that is
   * running keeps everything: then nothing is removed and the report says {@code busy}.
   *
   * @param referenced asked once the cache is locked against builds, so that an image a build
   *     finishes just before counts
   */
  CachePruneReport prune(ReferencedLayers referenced) throws ZlayerException;

  /** The diff_ids of every layer of every image in the store. */
  @FunctionalInterface
  interface ReferencedLayers {
    Set<Digest> diffIds() throws ZlayerException;
  }

  /** What a prune removed; {@code busy}: a build was running, so nothing was. */
  record CachePruneReport(int layersRemoved, int stepsRemoved, int scratchRemoved,
      long bytesFreed, boolean busy) {
    public static final CachePruneReport NOTHING = new CachePruneReport(0, 0, 0, 0, false);

    public CachePruneReport plus(CachePruneReport other) {
      return new CachePruneReport(layersRemoved + other.layersRemoved,
          stepsRemoved + other.stepsRemoved, scratchRemoved + other.scratchRemoved,
          bytesFreed + other.bytesFreed, busy || other.busy);
    }
  }
}
