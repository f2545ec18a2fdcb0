package io.zlayer.adapters.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Tuning of the registry client. {@link #DEFAULT} suits the CLI; tests shorten the waits.
 *
 * @param retry retries and backoff for transient failures
 * @param chunkedUploadThreshold blobs larger than this many bytes are uploaded in chunks (PATCH),
 *     smaller ones in one PUT
 * @param uploadChunkSize the largest PATCH body (the registry's {@code OCI-Chunk-Min-Length}
 *     raises it)
 * @param connectTimeout TCP and TLS connection setup
 * @param responseTimeout how long to wait for the response headers of one request, upload
 *     bodies included
 * @param stallTimeout how long a download may receive no bytes before it is cut and resumed
 * @param tagPageSize the {@code n} of tag listing requests; 0 lets the registry choose
 * @param trace receives one line per HTTP exchange (method, URL, status), never a secret
 * @param tls the TLS context for verified connections; empty means the JDK's default trust
 * @param userAgent the {@code User-Agent} header
 */
public record RegistryClientSettings(RetryPolicy retry, long chunkedUploadThreshold,
    int uploadChunkSize, Duration connectTimeout, Duration responseTimeout, Duration stallTimeout,
    int tagPageSize, Optional<Consumer<String>> trace, Optional<SSLContext> tls,
    String userAgent) {

  public static final long DEFAULT_CHUNKED_UPLOAD_THRESHOLD = 16L << 20;
  public static final int DEFAULT_UPLOAD_CHUNK_SIZE = 16 << 20;

  public static final RegistryClientSettings DEFAULT = new RegistryClientSettings(
      RetryPolicy.DEFAULT, DEFAULT_CHUNKED_UPLOAD_THRESHOLD, DEFAULT_UPLOAD_CHUNK_SIZE,
      Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(2), 0, Optional.empty(),
      Optional.empty(), "zlayer");

  public RegistryClientSettings {
    Objects.requireNonNull(retry);
    if (chunkedUploadThreshold < 0) {
      throw new IllegalArgumentException("chunkedUploadThreshold must not be negative");
    }
    if (uploadChunkSize < 1) {
      throw new IllegalArgumentException("uploadChunkSize must be positive");
    }
    if (tagPageSize < 0) {
      throw new IllegalArgumentException("tagPageSize must not be negative");
    }
    Objects.requireNonNull(connectTimeout);
    Objects.requireNonNull(responseTimeout);
    Objects.requireNonNull(stallTimeout);
    Objects.requireNonNull(trace);
    Objects.requireNonNull(tls);
    Objects.requireNonNull(userAgent);
  }

  public RegistryClientSettings withRetry(RetryPolicy newRetry) {
    return new RegistryClientSettings(newRetry, chunkedUploadThreshold, uploadChunkSize,
        connectTimeout, responseTimeout, stallTimeout, tagPageSize, trace, tls, userAgent);
  }

  public RegistryClientSettings withChunking(long threshold, int chunkSize) {
    return new RegistryClientSettings(retry, threshold, chunkSize, connectTimeout,
        responseTimeout, stallTimeout, tagPageSize, trace, tls, userAgent);
  }

  public RegistryClientSettings withTimeouts(Duration connect, Duration response,
      Duration stall) {
    return new RegistryClientSettings(retry, chunkedUploadThreshold, uploadChunkSize, connect,
        response, stall, tagPageSize, trace, tls, userAgent);
  }

  public RegistryClientSettings withTagPageSize(int n) {
    return new RegistryClientSettings(retry, chunkedUploadThreshold, uploadChunkSize,
        connectTimeout, responseTimeout, stallTimeout, n, trace, tls, userAgent);
  }

  /** Sends a line per HTTP exchange to {@code sink} (the {@code --debug} hook). */
  public RegistryClientSettings withTrace(Consumer<String> sink) {
    return new RegistryClientSettings(retry, chunkedUploadThreshold, uploadChunkSize,
        connectTimeout, responseTimeout, stallTimeout, tagPageSize, Optional.of(sink), tls,
        userAgent);
  }

  public RegistryClientSettings withTls(SSLContext context) {
    return new RegistryClientSettings(retry, chunkedUploadThreshold, uploadChunkSize,
        connectTimeout, responseTimeout, stallTimeout, tagPageSize, trace, Optional.of(context),
        userAgent);
  }

  public RegistryClientSettings withUserAgent(String agent) {
    return new RegistryClientSettings(retry, chunkedUploadThreshold, uploadChunkSize,
        connectTimeout, responseTimeout, stallTimeout, tagPageSize, trace, tls, agent);
  }
}
