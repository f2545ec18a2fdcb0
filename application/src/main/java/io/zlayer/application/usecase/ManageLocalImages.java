package io.zlayer.application.usecase;

import io.zlayer.application.image.LocalImage;
import io.zlayer.application.port.BuildCache.CachePruneReport;
import io.zlayer.application.port.ImageStore.PruneReport;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The local-store commands: {@code tag}, {@code images}, {@code inspect}, {@code rmi}, {@code prune}. */
public interface ManageLocalImages {
  /** Gives the image {@code source} (name or ID) the name {@code target}. */
  void tag(String source, ImageReference target) throws ZlayerException;

  List<ImageSummary> list() throws ZlayerException;

  LocalImage inspect(String nameOrId, Platform platform) throws ZlayerException;

  /**
   * Removes names (or, given an ID, every name of that image); returns what was removed.
   * Content stays until {@link #prune()}.
   */
  List<String> remove(List<String> namesOrIds) throws ZlayerException;

  /**
   * Deletes blobs no image refers to, then what the build engines keep for layers no image
   * has any more (unpacked layers, step cache entries) and scratch of builds that died.
   */
  PruneSummary prune() throws ZlayerException;

  /** What {@link #prune()} removed from the store and from the build caches. */
  record PruneSummary(PruneReport store, CachePruneReport buildCache) {}

  /** One row of {@code zlayer images}. */
  record ImageSummary(Optional<ImageReference> name, Digest manifestDigest, Digest imageId,
      Optional<Instant> created, long size, boolean isIndex) {}
}
