package io.zlayer.adapters.sandbox.copy;

import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code ADD https://…}: downloads with the JDK client (redirects followed, no credentials ever
 * sent), keeping the file in a directory zlayer owns, named by its content.
 */
final class UrlDownloads {
  /** A downloaded file: its bytes' sha256 and the server's Last-Modified, if it sent one. */
  record Download(String url, Path file, String sha256, long size, Optional<Instant> lastModified) {}

  private final Path dir;
  private final Supplier<HttpClient> clients;
  private HttpClient client;

  /** {@code clients} is asked once, on the first download: most builds download nothing. */
  UrlDownloads(Path dir, Supplier<HttpClient> clients) {
    this.dir = dir;
    this.clients = clients;
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = clients.get();
    }
    return client;
  }

  static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.ALWAYS)
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** BuildKit's file name for a URL: the base of its path, else {@code __unnamed__}. */
  static String fileName(String url) {
    try {
      String path = new URI(url).getPath();
      if (path != null) {
        String base = GoPaths.base(GoPaths.clean(path));
        if (!base.isEmpty() && !base.equals(".") && !base.equals("/")) {
          return base;
        }
      }
    } catch (URISyntaxException e) {
      // an unparsable URL has no name; the download reports the syntax error
    }
    return "__unnamed__";
  }

  /** The URL as messages show it: without user information. */
  static String display(String url) {
    try {
      URI u = new URI(url);
      if (u.getRawUserInfo() == null) {
        return url;
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(),
          u.getFragment()).toString();
    } catch (URISyntaxException e) {
      return url;
    }
  }

  Download fetch(String url) throws CopyFailure, InterruptedException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw CopyFailure.of("invalid URL " + display(url) + ": " + e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(uri).GET()
        .header("User-Agent", "zlayer").build();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      HttpResponse<InputStream> response = client().send(request,
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw CopyFailure.of("failed to GET " + display(url) + " with status "
              + response.statusCode());
        }
        tmp = Files.createTempFile(dir, "download-", ".tmp");
        MessageDigest sha = Digest.newSha256();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(tmp)) {
          int n;
          while ((n = body.read(buffer)) > 0) {
            if (Thread.currentThread().isInterrupted()) {
              throw new InterruptedException();
            }
            sha.update(buffer, 0, n);
            out.write(buffer, 0, n);
            size += n;
          }
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        Path file = dir.resolve(hex);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        tmp = null;
        Optional<Instant> lastModified = response.headers().firstValue("Last-Modified")
            .flatMap(UrlDownloads::httpDate);
        return new Download(url, file, hex, size, lastModified);
      }
    } catch (InterruptedIOException e) {
      throw new InterruptedException("download of " + display(url) + " interrupted");
    } catch (IOException e) {
      throw CopyFailure.of("failed to GET " + display(url) + ": " + describe(e), e);
    } catch (IllegalArgumentException e) {
      throw CopyFailure.of("invalid URL " + display(url) + ": " + e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // a leftover temp file in zlayer's own directory
        }
      }
    }
  }

  /** Checks {@code --checksum} (go-digest syntax: sha256, sha384 or sha512 and hex). */
  static void verify(Download d, String checksum) throws CopyFailure {
    String expected = checksum.toLowerCase(Locale.ROOT);
    String actual = digestOf(d, expected);
    if (!actual.equals(expected)) {
      throw CopyFailure.of("checksum mismatch for " + display(d.url()) + ": expected "
          + checksum + ", got " + actual);
    }
  }

  /** Validates a {@code --checksum} value, returning it unchanged. */
  static String parseChecksum(String checksum) throws CopyFailure {
    int colon = checksum.indexOf(':');
    String algorithm = colon < 0 ? "" : checksum.substring(0, colon);
    String hex = colon < 0 ? "" : checksum.substring(colon + 1);
    int length;
    switch (algorithm) {
      case "sha256":
        length = 64;
        break;
      case "sha384":
        length = 96;
        break;
      case "sha512":
        length = 128;
        break;
      default:
        throw CopyFailure.of("invalid checksum digest format: " + checksum);
    }
    if (hex.length() != length || !hex.chars().allMatch(c -> (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'f'))) {
      throw CopyFailure.of("invalid checksum digest format: " + checksum);
    }
    return checksum;
  }

  private static String digestOf(Download d, String expected) throws CopyFailure {
    String algorithm = expected.substring(0, expected.indexOf(':'));
    if (algorithm.equals("sha256")) {
      return "sha256:" + d.sha256();
    }
    try (InputStream in = Files.newInputStream(d.file())) {
      MessageDigest md = MessageDigest.getInstance(algorithm.equals("sha384") ? "SHA-384"
          : "SHA-512");
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        md.update(buffer, 0, n);
      }
      return algorithm + ":" + HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw CopyFailure.of("cannot read the download of " + display(d.url()) + ": "
          + e.getMessage(), e);
    }
  }

  private static Optional<Instant> httpDate(String value) {
    try {
      return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
