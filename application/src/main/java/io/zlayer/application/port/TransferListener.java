package io.zlayer.application.port;

/** Told how far a blob transfer got; called often, so implementations must be cheap. */
@FunctionalInterface
public interface TransferListener {
  TransferListener NONE = (done, total) -> {};

  /**
   * @param bytesDone bytes transferred so far
   * @param totalBytes the blob's size, or -1 when unknown
   */
  void progress(long bytesDone, long totalBytes);
}
