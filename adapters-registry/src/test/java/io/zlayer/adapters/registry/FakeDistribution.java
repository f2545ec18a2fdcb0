package io.zlayer.adapters.registry;

import io.zlayer.domain.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory registry speaking enough of the distribution API for unit tests: ping, manifests,
 * blobs (with Range), uploads (POST, PATCH with Content-Range, PUT ?digest=, GET status,
 * mount), tag listing with Link pagination, and an optional Authorization check. Like CNCF
 * distribution, an upload URL carries its offset in {@code _state}; a request with a stale
 * state cancels the upload ({@link #strictUploadState}).
 */
final class FakeDistribution implements AutoCloseable {
  final FakeServer server;
  final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  final Map<String, Set<String>> repoBlobs = new ConcurrentHashMap<>();
  final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
  final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();
  final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  final AtomicInteger uploadsStarted = new AtomicInteger();
  volatile boolean strictUploadState = true;
  volatile boolean rangeSupport = true;
  volatile long minChunk = 0;
  /** Stores at most this many bytes of each PATCH (a registry taking part of a chunk). */
  volatile int acceptPerPatch = Integer.MAX_VALUE;
  /** When set, blob GETs answer 307 to this server's /storage/<digest>. */
  volatile FakeServer storage;
  /** Checks the Authorization of every /v2 request; null means anonymous access. */
  volatile Predicate<String> authorized;
  volatile String challenge = "Basic realm=\"fake\"";

  static final class Upload {
    final String repo;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Upload(String repo) {
      this.repo = repo;
    }

    synchronized long size() {
      return data.size();
    }
  }

  FakeDistribution() throws IOException {
    this(new FakeServer());
  }

  FakeDistribution(FakeServer server) {
    this.server = server;
    server.route("*", "/v2/?", this::ping);
    server.route("*", "/v2/(.+)/blobs/uploads/?", this::startUpload);
    server.route("*", "/v2/(.+)/blobs/uploads/([^/]+)", this::upload);
    server.route("*", "/v2/(.+)/blobs/([^/]+)", this::blob);
    server.route("*", "/v2/(.+)/manifests/([^/]+)", this::manifest);
    server.route("GET", "/v2/(.+)/tags/list", this::tagList);
  }

  String host() {
    return server.host();
  }

  void putBlob(String repo, byte[] content) {
    String d = Digest.sha256(content).toString();
    blobs.put(d, content.clone());
    repoBlobs.computeIfAbsent(repo, k -> ConcurrentHashMap.newKeySet()).add(d);
  }

  void putManifest(String repo, String tag, String mediaType, byte[] content) {
    String d = Digest.sha256(content).toString();
    manifests.put(repo + "@" + d, content.clone());
    manifestTypes.put(repo + "@" + d, mediaType);
    tags.computeIfAbsent(repo, k -> new ConcurrentHashMap<>()).put(tag, d);
  }

  boolean hasBlob(String repo, Digest d) {
    return repoBlobs.getOrDefault(repo, Set.of()).contains(d.toString());
  }

  private boolean denied(FakeServer.Ex ex) throws IOException {
    Predicate<String> check = authorized;
    if (check == null || check.test(ex.header("Authorization"))) {
      return false;
    }
    ex.responseHeader("WWW-Authenticate", challenge);
    ex.json(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\","
        + "\"message\":\"authentication required\"}]}");
    return true;
  }

  private void ping(FakeServer.Ex ex) throws IOException {
    if (denied(ex)) {
      return;
    }
    ex.responseHeader("Docker-Distribution-API-Version", "registry/2.0");
    ex.json(200, "{}");
  }

  private static void error(FakeServer.Ex ex, int status, String code, String message)
      throws IOException {
    ex.json(status, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message
        + "\",\"detail\":null}]}");
  }

  private void blob(FakeServer.Ex ex) throws IOException {
    if (denied(ex)) {
      return;
    }
    String repo = ex.group(1);
    String digest = ex.group(2);
    byte[] content = repoBlobs.getOrDefault(repo, Set.of()).contains(digest)
        ? blobs.get(digest) : null;
    if (content == null) {
      error(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry");
      return;
    }
    if (ex.method().equals("DELETE")) {
      repoBlobs.get(repo).remove(digest);
      ex.status(202);
      return;
    }
    FakeServer st = storage;
    if (st != null && ex.method().equals("GET")) {
      ex.responseHeader("Location", st.uri("/storage/" + digest + "?X-Amz-Signature=s3cr3tsig")
          .toString());
      ex.status(307);
      return;
    }
    serveBlob(ex, content, digest, rangeSupport);
  }

  /** Answers a blob GET/HEAD, honouring {@code Range: bytes=N-} when asked to. */
  static void serveBlob(FakeServer.Ex ex, byte[] content, String digest, boolean ranges)
      throws IOException {
    ex.responseHeader("Docker-Content-Digest", digest);
    ex.responseHeader("Content-Type", "application/octet-stream");
    String range = ex.header("Range");
    if (ranges) {
      ex.responseHeader("Accept-Ranges", "bytes");
    }
    if (ranges && range != null && range.startsWith("bytes=") && range.endsWith("-")) {
      int start = Integer.parseInt(range.substring(6, range.length() - 1));
      if (start >= content.length) {
        ex.responseHeader("Content-Range", "bytes */" + content.length);
        ex.status(416);
        return;
      }
      ex.responseHeader("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/"
          + content.length);
      ex.bytes(206, java.util.Arrays.copyOfRange(content, start, content.length));
      return;
    }
    ex.bytes(200, content);
  }

  private String location(String repo, String id, long size) {
    return "/v2/" + repo + "/blobs/uploads/" + id + "?_state=" + size;
  }

  private void startUpload(FakeServer.Ex ex) throws IOException {
    if (denied(ex)) {
      return;
    }
    if (!ex.method().equals("POST")) {
      ex.status(405);
      return;
    }
    String repo = ex.group(1);
    String mount = ex.query("mount");
    String from = ex.query("from");
    if (mount != null && from != null
        && repoBlobs.getOrDefault(from, Set.of()).contains(mount)) {
      repoBlobs.computeIfAbsent(repo, k -> ConcurrentHashMap.newKeySet()).add(mount);
      ex.responseHeader("Location", "/v2/" + repo + "/blobs/" + mount);
      ex.responseHeader("Docker-Content-Digest", mount);
      ex.status(201);
      return;
    }
    uploadsStarted.incrementAndGet();
    String id = UUID.randomUUID().toString();
    uploads.put(id, new Upload(repo));
    ex.responseHeader("Location", location(repo, id, 0));
    ex.responseHeader("Range", "0-0");
    ex.responseHeader("Docker-Upload-UUID", id);
    if (minChunk > 0) {
      ex.responseHeader("OCI-Chunk-Min-Length", String.valueOf(minChunk));
    }
    ex.status(202);
  }

  private void upload(FakeServer.Ex ex) throws IOException {
    if (denied(ex)) {
      return;
    }
    String repo = ex.group(1);
    String id = ex.group(2);
    Upload up = uploads.get(id);
    if (up == null || !up.repo.equals(repo)) {
      error(ex, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
      return;
    }
    String state = ex.query("_state");
    if (strictUploadState && state != null && Long.parseLong(state) != up.size()) {
      uploads.remove(id);
      error(ex, 400, "BLOB_UPLOAD_INVALID", "upload resumed at wrong offset");
      return;
    }
    switch (ex.method()) {
      case "GET" -> {
        statusHeaders(ex, repo, id, up);
        ex.status(204);
      }
      case "PATCH" -> {
        String range = ex.header("Content-Range");
        if (range != null) {
          long start = Long.parseLong(range.substring(0, range.indexOf('-')));
          if (start != up.size()) {
            statusHeaders(ex, repo, id, up);
            error(ex, 416, "BLOB_UPLOAD_INVALID", "wrong range");
            return;
          }
        }
        if (acceptPerPatch == Integer.MAX_VALUE) {
          appendUntilError(ex, up);
        } else {
          byte[] body = ex.body();
          synchronized (up) {
            up.data.write(body, 0, Math.min(body.length, acceptPerPatch));
          }
        }
        statusHeaders(ex, repo, id, up);
        ex.status(202);
      }
      case "PUT" -> {
        appendUntilError(ex, up);
        String digest = ex.query("digest");
        byte[] content;
        synchronized (up) {
          content = up.data.toByteArray();
        }
        if (digest == null || !Digest.sha256(content).toString().equals(digest)) {
          error(ex, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
          return;
        }
        uploads.remove(id);
        putBlob(repo, content);
        ex.responseHeader("Location", "/v2/" + repo + "/blobs/" + digest);
        ex.responseHeader("Docker-Content-Digest", digest);
        ex.status(201);
      }
      case "DELETE" -> {
        uploads.remove(id);
        ex.status(204);
      }
      default -> ex.status(405);
    }
  }

  private void statusHeaders(FakeServer.Ex ex, String repo, String id, Upload up) {
    long size = up.size();
    ex.responseHeader("Location", location(repo, id, size));
    ex.responseHeader("Range", "0-" + Math.max(size - 1, 0));
    ex.responseHeader("Docker-Upload-UUID", id);
  }

  /** Like distribution: what arrived before a broken connection stays in the upload. */
  private static void appendUntilError(FakeServer.Ex ex, Upload up) throws IOException {
    InputStream in = ex.exchange.getRequestBody();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      synchronized (up) {
        up.data.write(buf, 0, n);
      }
    }
  }

  private void manifest(FakeServer.Ex ex) throws IOException {
    if (denied(ex)) {
      return;
    }
    String repo = ex.group(1);
    String ref = ex.group(2);
    if (ex.method().equals("PUT")) {
      byte[] body = ex.body();
      String type = ex.header("Content-Type");
      String d = Digest.sha256(body).toString();
      if (ref.contains(":") && !ref.equals(d)) {
        error(ex, 400, "DIGEST_INVALID", "manifest digest did not match");
        return;
      }
      manifests.put(repo + "@" + d, body);
      manifestTypes.put(repo + "@" + d, type);
      if (!ref.contains(":")) {
        tags.computeIfAbsent(repo, k -> new ConcurrentHashMap<>()).put(ref, d);
      }
      ex.responseHeader("Docker-Content-Digest", d);
      ex.responseHeader("Location", "/v2/" + repo + "/manifests/" + d);
      ex.status(201);
      return;
    }
    if (!tags.containsKey(repo) && manifests.keySet().stream()
        .noneMatch(k -> k.startsWith(repo + "@"))) {
      error(ex, 404, "NAME_UNKNOWN", "repository name not known to registry");
      return;
    }
    String digest = ref.contains(":") ? ref : tags.getOrDefault(repo, Map.of()).get(ref);
    byte[] body = digest == null ? null : manifests.get(repo + "@" + digest);
    if (body == null) {
      error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
      return;
    }
    ex.responseHeader("Content-Type", manifestTypes.get(repo + "@" + digest));
    ex.responseHeader("Docker-Content-Digest", digest);
    ex.bytes(200, body);
  }

  private void tagList(FakeServer.Ex ex) throws IOException {
    if (denied(ex)) {
      return;
    }
    String repo = ex.group(1);
    Map<String, String> t = tags.get(repo);
    if (t == null) {
      error(ex, 404, "NAME_UNKNOWN", "repository name not known to registry");
      return;
    }
    List<String> all = new ArrayList<>(new TreeSet<>(t.keySet()));
    String last = ex.query("last");
    String n = ex.query("n");
    int start = last == null ? 0 : all.indexOf(last) + 1;
    int count = n == null ? all.size() : Integer.parseInt(n);
    int end = Math.min(all.size(), start + count);
    List<String> page = all.subList(start, end);
    if (end < all.size()) {
      ex.responseHeader("Link", "</v2/" + repo + "/tags/list?last=" + all.get(end - 1) + "&n="
          + count + ">; rel=\"next\"");
    }
    StringBuilder json = new StringBuilder("{\"name\":\"" + repo + "\",\"tags\":[");
    for (int i = 0; i < page.size(); i++) {
      json.append(i == 0 ? "" : ",").append('"').append(page.get(i)).append('"');
    }
    ex.json(200, json.append("]}").toString());
  }

  URI uri(String path) {
    return server.uri(path);
  }

  @Override
  public void close() {
    server.close();
  }
}
