package io.zlayer.adapters.sandbox.engine;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** A stream that stops with {@link InterruptedIOException} once its reader is interrupted. */
final class InterruptibleInputStream extends FilterInputStream {
  InterruptibleInputStream(InputStream in) {
    super(in);
  }

  private static void check() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted");
    }
  }

  @Override
  public int read() throws IOException {
    check();
    return super.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    check();
    return super.read(b, off, len);
  }

  @Override
  public long skip(long n) throws IOException {
    check();
    return super.skip(n);
  }
}
