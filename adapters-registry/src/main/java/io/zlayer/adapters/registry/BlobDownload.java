package io.zlayer.adapters.registry;

import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Streams one blob into a {@link BlobWriter}, hashing and counting while it reads. After a
 * dropped or stalled connection it asks for the rest with {@code Range: bytes=<n>-}; when the
 * registry (or its storage) answers with the whole blob instead, the writer is reset and the
 * download starts over.
 */
final class BlobDownload {
  private static final int BUFFER = 64 << 10;

  private final RegistryConnection conn;
  private final ImageReference ref;
  private final RegistryErrors errors;
  private final RegistryClientSettings settings;

  BlobDownload(RegistryConnection conn, ImageReference ref, RegistryClientSettings settings) {
    this.conn = conn;
    this.ref = ref;
    this.errors = conn.errors();
    this.settings = settings;
  }

  void run(Descriptor blob, BlobWriter target, TransferListener listener, boolean push)
      throws RegistryException {
    Digest digest = blob.digest();
    long size = blob.size();
    Subject subject = Subject.blob(ref, digest, push);
    URI uri = conn.api(ref.repository() + "/blobs/" + digest);
    MessageDigest hasher = digest.newHasher();
    if (target.written() > 0) {
      reset(target, subject);
    }
    long done = 0;
    long highWater = 0;
    boolean rangesWork = true;
    int failures = 0;
    byte[] buffer = new byte[BUFFER];
    while (true) {
      // No transport-level retries: this loop retries, resuming where the last attempt ended.
      Call call = Call.get(uri).withRetry(false);
      boolean ranged = done > 0 && rangesWork;
      if (done > 0 && !ranged) {
        reset(target, subject);
        hasher.reset();
        done = 0;
        listener.progress(0, size);
      }
      if (ranged) {
        call = call.withHeader("Range", "bytes=" + done + "-");
      }
      Reply reply;
      try {
        reply = conn.send(call);
      } catch (IOException e) {
        failures = failed(failures, e, subject);
        continue;
      }
      try (reply; StallGuard guard = new StallGuard(settings.stallTimeout(), reply::close)) {
        int status = reply.status();
        if (status == 206 && ranged) {
          Optional<Long> start = UploadRanges.contentRangeStart(reply.header("Content-Range"));
          if (start.isEmpty() || start.get() != done) {
            conn.trace("blob " + digest + ": unusable Content-Range "
                + reply.header("Content-Range").orElse("(none)") + "; starting over");
            rangesWork = false;
            continue;
          }
        } else if (status == 416 && ranged) {
          rangesWork = false;
          continue;
        } else if (status == 200) {
          if (done > 0) {
            conn.trace("blob " + digest + ": the server ignored Range; starting over");
            reset(target, subject);
            hasher.reset();
            done = 0;
            listener.progress(0, size);
          }
        } else if (status == 429 || status >= 500) {
          Optional<Duration> after = RetryAfter.parse(reply.header("Retry-After"),
              settings.retry().clock());
          if (failures + 1 >= settings.retry().maxAttempts()) {
            throw errors.forStatus(status, RegistryFeign.errorsBody(reply), subject);
          }
          failures = pause(failures + 1, after, "HTTP " + status, subject);
          continue;
        } else {
          throw errors.forStatus(status, RegistryFeign.errorsBody(reply), subject);
        }
        InputStream in = reply.body();
        OutputStream out = target.stream();
        try {
          int n;
          while ((n = in.read(buffer)) >= 0) {
            guard.progressed();
            if (n == 0) {
              continue;
            }
            if (done + n > size) {
              throw errors.exception(Kind.DIGEST_MISMATCH, "blob " + subject.display()
                  + " is larger than its descriptor's size of " + size + " bytes");
            }
            write(out, buffer, n, subject);
            hasher.update(buffer, 0, n);
            done += n;
            listener.progress(done, size);
          }
          if (done < size) {
            throw new EOFException(guard.fired()
                ? "no data for " + settings.stallTimeout().toSeconds() + " s"
                : "connection closed after " + done + " of " + size + " bytes");
          }
        } catch (IOException e) {
          // only new ground resets the count: a restart that dies at the same byte again
          // must not go on forever
          if (done > highWater) {
            highWater = done;
            failures = 0;
          }
          failures = failed(failures, e, subject);
          continue;
        }
      }
      Digest actual = new Digest(digest.algorithm(), HexFormat.of().formatHex(hasher.digest()));
      if (!actual.equals(digest)) {
        throw errors.exception(Kind.DIGEST_MISMATCH, "blob " + subject.display()
            + " downloaded with digest " + actual);
      }
      return;
    }
  }

  /** Counts a failed attempt, waits before the next one, or gives up. */
  private int failed(int failures, IOException e, Subject subject) throws RegistryException {
    int n = failures + 1;
    if (n >= settings.retry().maxAttempts() || !RegistryConnection.isTransient(e)) {
      throw errors.network(conn.policy().apiHost(), "registry", e, subject);
    }
    return pause(n, Optional.empty(), RegistryErrors.describe(e), subject);
  }

  private int pause(int n, Optional<Duration> retryAfter, String why, Subject subject)
      throws RegistryException {
    Duration d = settings.retry().delay(n, retryAfter);
    conn.trace("download of " + subject.display() + " interrupted (" + why + "); resuming in "
        + d.toMillis() + " ms");
    try {
      conn.sleep(d);
    } catch (java.io.InterruptedIOException ie) {
      throw errors.exception(Kind.UNREACHABLE, "download of " + subject.display()
          + " was interrupted");
    }
    return n;
  }

  private void write(OutputStream out, byte[] buffer, int n, Subject subject)
      throws RegistryException {
    try {
      out.write(buffer, 0, n);
    } catch (IOException e) {
      throw errors.exception(Kind.PROTOCOL, "cannot store blob " + subject.display() + ": "
          + RegistryErrors.describe(e), null, e);
    }
  }

  private void reset(BlobWriter target, Subject subject) throws RegistryException {
    try {
      target.reset();
    } catch (StoreException e) {
      throw errors.exception(Kind.PROTOCOL, "cannot restart the download of "
          + subject.display() + ": " + e.getMessage(), null, e);
    }
  }
}
