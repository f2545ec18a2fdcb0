package io.zlayer.application.port;

import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Digest;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A blob being written into a store. Content goes to {@link #stream()}; {@link #commit} checks
 * the digest and makes the blob visible atomically; {@link #close()} without a commit discards
 * everything written. Not thread-safe.
 */
public interface BlobWriter extends AutoCloseable {
  OutputStream stream();

  /** Bytes written so far. */
  long written();

  /** Discards what was written so far, to restart a transfer from the beginning. */
  void reset() throws StoreException;

  /**
   * Finishes the blob. When {@code expected} is given and the content's digest differs, nothing
   * is stored and a {@link StoreException} says so.
   */
  Digest commit(Optional<Digest> expected) throws StoreException;

  @Override
  void close();
}
