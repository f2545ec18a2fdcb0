package io.zlayer.adapters.sandbox.copy;

import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;

/**
 * COPY and ADD with Docker's semantics, writing into a layer directory (overlay upper format)
 * on top of the stage's layer stack. The engine calls {@link #sourceDigest} for the cache key
 * and, on a cache miss, {@link #copy}.
 */
public interface FileCopier {
  /**
   * A digest of everything the step would copy: names (relative as they would land), types,
   * modes, link targets and contents of the selected sources, after .dockerignore, wildcards
   * and excludes — not timestamps or owners on the build host, so a {@code touch} keeps the
   * cache. For ADD of a URL it covers the downloaded content (or the {@code --checksum}).
   */
  Digest sourceDigest(CopyRequest request) throws ZlayerException, InterruptedException;

  /** Writes the step's files into {@code request.upperDir()}. */
  CopyReport copy(CopyRequest request) throws ZlayerException, InterruptedException;

  /**
   * {@link #copy} and {@link #sourceDigest} together, for a step the cache cannot hold, whose
   * digest is only needed to record it. Implementations may do both at the same time.
   */
  default DigestedCopy copyAndDigest(CopyRequest request)
      throws ZlayerException, InterruptedException {
    Digest digest = sourceDigest(request);
    return new DigestedCopy(digest, copy(request));
  }

  /** What {@link #copyAndDigest} did. */
  record DigestedCopy(Digest sourceDigest, CopyReport report) {}
}
