package io.zlayer.adapters.registry;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pushes one blob: a cross-repository mount when a source repository is named (201 means
 * done, 202 continues as an upload), then either one {@code PUT ?digest=} with the whole body
 * (small blobs) or {@code PATCH}es of bounded chunks with {@code Content-Range} and a final
 * {@code PUT}. The upload follows the {@code Location} and {@code Range} the registry returns;
 * after a failure it asks the upload URL for the registry's offset ({@code GET}) and continues
 * from there, or starts a new upload when the old one is gone.
 */
final class BlobUpload {
  private final RegistryConnection conn;
  private final HttpRegistryRepository repository;
  private final ImageReference ref;
  private final RegistryErrors errors;
  private final RegistryClientSettings settings;
  private final Blob blob;
  private final Digest digest;
  private final Subject subject;
  private final TransferListener listener;

  BlobUpload(RegistryConnection conn, HttpRegistryRepository repository, ImageReference ref,
      RegistryClientSettings settings, Blob blob, TransferListener listener) {
    this.conn = conn;
    this.repository = repository;
    this.ref = ref;
    this.errors = conn.errors();
    this.settings = settings;
    this.blob = blob;
    this.digest = blob.digest();
    this.subject = Subject.upload(ref, blob.digest());
    this.listener = listener;
  }

  /** A started upload: where to send the content, and the registry's smallest chunk. */
  private record Session(URI location, long minChunk) {}

  void run(Optional<String> mountFrom) throws RegistryException {
    if (repository.hasBlob(digest)) {
      done();
      return;
    }
    Optional<Session> session = Optional.empty();
    if (mountFrom.isPresent() && !mountFrom.get().equals(ref.repository())) {
      MountResult mounted = mount(mountFrom.get());
      if (mounted.done) {
        done();
        return;
      }
      session = mounted.session;
    }
    try (UploadSource source = open()) {
      if (blob.size() <= settings.chunkedUploadThreshold()) {
        monolithic(source, session);
      } else {
        chunked(source, session);
      }
    } catch (IOException e) {
      throw sourceFailure(e);
    }
    done();
  }

  private UploadSource open() throws RegistryException {
    try {
      return UploadSource.of(blob);
    } catch (IOException e) {
      throw sourceFailure(e);
    }
  }

  private void done() {
    listener.progress(blob.size(), blob.size());
  }

  private record MountResult(boolean done, Optional<Session> session) {}

  /** Tries the mount; any refusal falls back to a normal upload (a mount is an optimisation). */
  private MountResult mount(String from) throws RegistryException {
    URI uri = conn.api(ref.repository() + "/blobs/uploads/?mount=" + encode(digest.toString())
        + "&from=" + encode(from));
    Call call = new Call("POST", uri, Map.of(), Optional.empty(),
        Set.of("repository:" + from + ":pull"), true, true, false);
    try (Reply r = conn.send(call)) {
      if (r.status() == 201) {
        checkDigestHeader(r);
        conn.trace("mounted " + digest + " from " + from);
        return new MountResult(true, Optional.empty());
      }
      if (r.status() == 202) {
        return new MountResult(false, Optional.of(session(r)));
      }
      conn.trace("mount of " + digest + " from " + from + " refused (HTTP " + r.status()
          + "); uploading instead");
      return new MountResult(false, Optional.empty());
    } catch (IOException e) {
      throw errors.network(conn.policy().apiHost(), "registry", e, subject);
    } catch (RegistryException e) {
      if (e.kind() == Kind.UNREACHABLE || e.kind() == Kind.INSECURE_REFUSED) {
        throw e;
      }
      conn.trace("mount of " + digest + " from " + from + " failed (" + e.getMessage()
          + "); uploading instead");
      return new MountResult(false, Optional.empty());
    }
  }

  private Session start() throws RegistryException {
    URI uri = conn.api(ref.repository() + "/blobs/uploads/");
    Call call = new Call("POST", uri, Map.of(), Optional.empty(), Set.of(), true, true, false);
    try (Reply r = conn.send(call)) {
      if (r.status() != 202) {
        throw error(r);
      }
      return session(r);
    } catch (IOException e) {
      throw errors.network(conn.policy().apiHost(), "registry", e, subject);
    }
  }

  private Session session(Reply r) throws RegistryException {
    URI location = location(r).orElseThrow(() -> errors.exception(Kind.PROTOCOL,
        "registry " + ref.registry() + " started an upload for " + subject.display()
            + " without a Location"));
    long min = r.header("OCI-Chunk-Min-Length").flatMap(BlobUpload::parseLong).orElse(0L);
    return new Session(location, min);
  }

  private Optional<URI> location(Reply r) throws RegistryException {
    Optional<String> header = r.header("Location");
    if (header.isEmpty() || header.get().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(r.uri().resolve(header.get().trim()));
    } catch (IllegalArgumentException e) {
      throw errors.exception(Kind.PROTOCOL, "registry " + ref.registry()
          + " sent an invalid upload Location for " + subject.display());
    }
  }

  private void monolithic(UploadSource source, Optional<Session> given) throws RegistryException {
    Optional<Session> session = given;
    int failures = 0;
    while (true) {
      Session s = session.isPresent() ? session.get() : start();
      Call put = new Call("PUT", withDigest(s.location()),
          Map.of("Content-Type", List.of("application/octet-stream")), Optional.empty(),
          Set.of(), false, true, false);
      Optional<Duration> retryAfter = Optional.empty();
      IOException io = null;
      String why;
      try {
        RequestBody body = source.whole(n -> listener.progress(n, blob.size()));
        try (Reply r = conn.send(put.withBody(body))) {
          if (r.successful()) {
            checkDigestHeader(r);
            return;
          }
          if (!retryable(r.status()) && r.status() != 404) {
            throw error(r);
          }
          retryAfter = RetryAfter.parse(r.header("Retry-After"), settings.retry().clock());
          why = "HTTP " + r.status();
        }
      } catch (IOException e) {
        checkSource(source, e);
        io = e;
        why = RegistryErrors.describe(e);
      }
      failures = failed(failures, io, why);
      backoff(failures, retryAfter, why);
      if (repository.hasBlob(digest)) {
        return;
      }
      session = Optional.empty();
    }
  }

  /** Counts a failure; throws when there were too many in a row. */
  private int failed(int failures, IOException io, String why) throws RegistryException {
    int n = failures + 1;
    if (n >= settings.retry().maxAttempts()) {
      if (io != null) {
        throw errors.network(conn.policy().apiHost(), "registry", io, subject);
      }
      throw errors.exception(Kind.UNREACHABLE, "upload of " + subject.display() + " to "
          + ref.registry() + " failed " + n + " times in a row (last: " + why + ")");
    }
    return n;
  }

  private void chunked(UploadSource source, Optional<Session> given) throws RegistryException {
    Session s = given.isPresent() ? given.get() : start();
    URI location = s.location();
    long chunkSize = Math.max(settings.uploadChunkSize(), s.minChunk());
    long size = blob.size();
    long offset = 0;
    boolean ambiguousOffset = false;
    long highWater = 0;
    int failures = 0;
    while (true) {
      Optional<Duration> retryAfter = Optional.empty();
      IOException io = null;
      String why;
      boolean restart = false;
      try {
        if (offset < size) {
          long length = Math.min(chunkSize, size - offset);
          long base = offset;
          RequestBody body = source.chunk(offset, length,
              n -> listener.progress(base + n, size));
          Call patch = new Call("PATCH", location,
              Map.of("Content-Type", List.of("application/octet-stream"),
                  "Content-Range", List.of(offset + "-" + (offset + length - 1))),
              Optional.of(body), Set.of(), false, true, false);
          try (Reply r = conn.send(patch)) {
            if (r.status() == 202 || r.status() == 204) {
              location = location(r).orElse(location);
              long next = UploadRanges.uploadEnd(r.header("Range")).map(e -> e + 1)
                  .orElse(offset + length);
              ambiguousOffset = false;
              if (next > offset) {
                offset = next;
                // only new ground counts as progress: a registry going back and forth must not
                // keep the upload alive forever
                if (next > highWater) {
                  highWater = next;
                  failures = 0;
                }
                continue;
              }
              why = "the registry took none of the chunk at byte " + offset;
              failures = failed(failures, null, why);
              backoff(failures, Optional.empty(), why);
              continue;
            }
            if (r.status() == 416) {
              restart = ambiguousOffset;
            } else if (r.status() == 404) {
              restart = true;
            } else if (!retryable(r.status())) {
              throw error(r);
            }
            retryAfter = RetryAfter.parse(r.header("Retry-After"), settings.retry().clock());
            why = "HTTP " + r.status();
          }
        } else {
          Call put = new Call("PUT", withDigest(location), Map.of(), Optional.empty(), Set.of(),
              false, true, false);
          try (Reply r = conn.send(put)) {
            if (r.successful()) {
              checkDigestHeader(r);
              return;
            }
            if (r.status() == 404) {
              restart = true;
            } else if (!retryable(r.status()) && r.status() != 416) {
              throw error(r);
            }
            retryAfter = RetryAfter.parse(r.header("Retry-After"), settings.retry().clock());
            why = "HTTP " + r.status();
          }
        }
      } catch (IOException e) {
        checkSource(source, e);
        io = e;
        why = RegistryErrors.describe(e);
      }
      source.requestFailed();
      failures = failed(failures, io, why);
      backoff(failures, retryAfter, why);
      if (repository.hasBlob(digest)) {
        return;
      }
      Optional<UploadStatus> status = restart ? Optional.empty() : status(location);
      if (status.isPresent()) {
        location = status.get().location();
        offset = status.get().offset();
        ambiguousOffset = status.get().ambiguous();
        conn.trace("upload of " + digest + " resumes at byte " + offset);
      } else {
        Session fresh = start();
        location = fresh.location();
        chunkSize = Math.max(settings.uploadChunkSize(), fresh.minChunk());
        offset = 0;
        ambiguousOffset = false;
        conn.trace("upload of " + digest + " restarts from the beginning");
      }
    }
  }

  /**
   * What the registry has of an upload. Its {@code Range: 0-0} is ambiguous (nothing, or one
   * byte); it is read as nothing, and a 416 on the next chunk then restarts the upload.
   */
  private record UploadStatus(URI location, long offset, boolean ambiguous) {}

  /** Asks the upload URL how far the upload got; empty when the upload is gone. */
  private Optional<UploadStatus> status(URI location) throws RegistryException {
    Call get = Call.get(location).withoutRedirects();
    try (Reply r = conn.send(get)) {
      if (r.status() != 204 && r.status() != 200) {
        conn.trace("upload status of " + digest + ": HTTP " + r.status());
        return Optional.empty();
      }
      URI next = location(r).orElse(location);
      Optional<Long> end = UploadRanges.uploadEnd(r.header("Range"));
      if (end.isEmpty()) {
        return Optional.of(new UploadStatus(next, 0, false));
      }
      long e = end.get();
      return Optional.of(new UploadStatus(next, e == 0 ? 0 : e + 1, e == 0));
    } catch (IOException e) {
      conn.trace("upload status of " + digest + " failed: " + RegistryErrors.describe(e));
      return Optional.empty();
    }
  }

  private void backoff(int failures, Optional<Duration> retryAfter, String why)
      throws RegistryException {
    Duration d = settings.retry().delay(failures, retryAfter);
    conn.trace("upload of " + digest + " failed (" + why + "); retrying in " + d.toMillis()
        + " ms");
    try {
      conn.sleep(d);
    } catch (java.io.InterruptedIOException e) {
      throw errors.exception(Kind.UNREACHABLE, "upload of " + subject.display()
          + " was interrupted");
    }
  }

  private static boolean retryable(int status) {
    return status == 429 || status == 408 || status >= 500;
  }

  private void checkSource(UploadSource source, IOException e) throws RegistryException {
    Optional<IOException> f = source.failure();
    if (f.isPresent()) {
      throw sourceFailure(f.get());
    }
    if (Thread.currentThread().isInterrupted()) {
      throw errors.exception(Kind.UNREACHABLE, "upload of " + subject.display()
          + " was interrupted", null, e);
    }
  }

  private RegistryException sourceFailure(IOException e) {
    return errors.exception(Kind.PROTOCOL, "cannot read blob " + digest + " for the upload to "
        + ref.fullName() + ": " + RegistryErrors.describe(e), null, e);
  }

  private void checkDigestHeader(Reply r) throws RegistryException {
    Optional<String> header = r.header("Docker-Content-Digest");
    if (header.isPresent() && Digest.isValid(header.get().trim())
        && !header.get().trim().equals(digest.toString())
        && header.get().trim().startsWith(digest.algorithm() + ":")) {
      throw errors.exception(Kind.DIGEST_MISMATCH, "registry " + ref.registry() + " stored "
          + subject.display() + " as " + header.get().trim());
    }
  }

  private URI withDigest(URI location) {
    String s = location.toString();
    int hash = s.indexOf('#');
    if (hash >= 0) {
      s = s.substring(0, hash);
    }
    return URI.create(s + (location.getRawQuery() == null ? "?" : "&") + "digest="
        + encode(digest.toString()));
  }

  private RegistryException error(Reply r) {
    return errors.forStatus(r.status(), RegistryFeign.errorsBody(r), subject);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Optional<Long> parseLong(String s) {
    try {
      return Optional.of(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
