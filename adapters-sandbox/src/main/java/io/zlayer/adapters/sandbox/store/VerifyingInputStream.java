package io.zlayer.adapters.sandbox.store;

import io.zlayer.domain.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes a blob as it is read and fails at the end of the stream when the content does not
 * match the digest (or the size) it was stored under. A reader that stops early gets no check.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final Digest digest;
  private final long expectedSize;
  private final String where;
  private final MessageDigest hasher;
  private long count;
  private boolean verified;

  VerifyingInputStream(InputStream in, Digest digest, long expectedSize, String where) {
    super(in);
    this.digest = digest;
    this.expectedSize = expectedSize;
    this.where = where;
    this.hasher = digest.newHasher();
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      verify();
    } else {
      hasher.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n < 0) {
      verify();
    } else if (n > 0) {
      hasher.update(buf, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must be hashed too, or the end-of-stream check would be meaningless.
    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported: re-reading would double-hash
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void verify() throws IOException {
    if (verified) {
      return;
    }
    verified = true;
    if (count != expectedSize) {
      throw new IOException("blob " + digest + " in " + where + " is corrupt: it should have "
          + expectedSize + " bytes but has " + count);
    }
    Digest actual = new Digest(digest.algorithm(),
        java.util.HexFormat.of().formatHex(hasher.digest()));
    if (!actual.equals(digest)) {
      throw new IOException(OciLayoutStore.corruptMessage(digest, actual, where));
    }
  }
}
