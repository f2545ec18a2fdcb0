package io.zlayer.adapters.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Optional;

/** A response whose body has not been read yet; close it (or read it) to free the connection. */
final class Reply implements AutoCloseable {
  private final int status;
  private final HttpHeaders headers;
  private final InputStream body;
  private final URI uri;

  Reply(int status, HttpHeaders headers, InputStream body, URI uri) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.uri = uri;
  }

  int status() {
    return status;
  }

  HttpHeaders headers() {
    return headers;
  }

  Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  List<String> headerValues(String name) {
    return headers.allValues(name);
  }

  /** The URI that answered (after redirects). */
  URI uri() {
    return uri;
  }

  InputStream body() {
    return body;
  }

  boolean successful() {
    return status >= 200 && status < 300;
  }

  /** Reads the body whole, failing when it exceeds {@code limit} bytes. */
  byte[] readBody(int limit) throws IOException {
    try (InputStream in = body) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (out.size() + n > limit) {
          throw new BodyTooLargeException(limit);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** Reads at most {@code limit} bytes (an error body), dropping the rest. */
  byte[] readBodyPrefix(int limit) {
    try (InputStream in = body) {
      return in.readNBytes(limit);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // the connection is dropped either way
    }
  }

  /** A body larger than a manifest or JSON document may be. */
  static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(int limit) {
      super("response body exceeds " + limit + " bytes");
    }
  }
}
