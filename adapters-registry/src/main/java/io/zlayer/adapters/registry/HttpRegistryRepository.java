package io.zlayer.adapters.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.RawManifest;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One repository of one registry over the distribution API v2. Thread-safe: every operation
 * keeps its state on the stack; the shared parts (connection, auth, token cache) are safe for
 * concurrent use.
 */
final class HttpRegistryRepository implements RegistryRepository {
  /** containerd's limit for manifests and indexes. */
  static final int MANIFEST_LIMIT = 4 << 20;
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final int MAX_TAG_PAGES = 100_000;

  private final ImageReference ref;
  private final boolean push;
  private final RegistryConnection conn;
  private final RegistryErrors errors;
  private final RegistryClientSettings settings;
  private final TagsApi tagsApi;

  HttpRegistryRepository(ImageReference ref, boolean push, RegistryConnection conn,
      RegistryClientSettings settings, TagsApi tagsApi) {
    this.ref = ref;
    this.push = push;
    this.conn = conn;
    this.errors = conn.errors();
    this.settings = settings;
    this.tagsApi = tagsApi;
  }

  @Override
  public String repositoryName() {
    return ref.repository();
  }

  @Override
  public RawManifest fetchManifest(String tagOrDigest) throws RegistryException {
    Subject subject = Subject.manifest(ref, tagOrDigest, push);
    Optional<Digest> wanted = reference(tagOrDigest, subject);
    URI uri = conn.api(ref.repository() + "/manifests/" + tagOrDigest);
    Call call = Call.get(uri).withHeader("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT));
    int attempt = 1;
    while (true) {
      try (Reply r = conn.send(call)) {
        if (!r.successful()) {
          throw errors.forStatus(r.status(), RegistryFeign.errorsBody(r), subject);
        }
        byte[] bytes = r.readBody(MANIFEST_LIMIT);
        String mediaType = mediaType(r.header("Content-Type"), bytes);
        Digest digest = verify(bytes, wanted, r.header("Docker-Content-Digest"), subject);
        return new RawManifest(bytes, mediaType, digest);
      } catch (IOException e) {
        if (attempt < settings.retry().maxAttempts() && RegistryConnection.isTransient(e)) {
          sleep(attempt++);
          continue;
        }
        throw errors.network(conn.policy().apiHost(), "registry", e, subject);
      }
    }
  }

  @Override
  public Optional<Descriptor> headManifest(String tagOrDigest) throws RegistryException {
    Subject subject = Subject.manifest(ref, tagOrDigest, push);
    Optional<Digest> wanted = reference(tagOrDigest, subject);
    URI uri = conn.api(ref.repository() + "/manifests/" + tagOrDigest);
    Call call = Call.head(uri).withHeader("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT));
    try (Reply r = conn.send(call)) {
      if (r.status() == 404) {
        return Optional.empty();
      }
      if (!r.successful()) {
        throw errors.forStatus(r.status(), RegistryJson.ErrorsBody.EMPTY, subject);
      }
      Optional<String> digestHeader = r.header("Docker-Content-Digest").map(String::trim)
          .filter(Digest::isValid);
      Optional<String> type = r.header("Content-Type").map(HttpRegistryRepository::bareType)
          .filter(HttpRegistryRepository::knownManifestType);
      Optional<Long> length = r.header("Content-Length").flatMap(HttpRegistryRepository::number);
      if (digestHeader.isPresent() && type.isPresent() && length.isPresent()) {
        Digest d = parse(digestHeader.get());
        if (wanted.isPresent() && !wanted.get().equals(d)) {
          throw errors.exception(Kind.DIGEST_MISMATCH, "registry " + ref.registry()
              + " answered for manifest " + subject.display() + " with digest " + d);
        }
        return Optional.of(Descriptor.of(type.get(), d, length.get()));
      }
    } catch (IOException e) {
      throw errors.network(conn.policy().apiHost(), "registry", e, subject);
    }
    // Some registries leave digest or type out of HEAD answers: fetch to describe it.
    return Optional.of(fetchManifest(tagOrDigest).descriptor());
  }

  @Override
  public boolean hasBlob(Digest digest) throws RegistryException {
    Subject subject = Subject.blob(ref, digest, push);
    URI uri = conn.api(ref.repository() + "/blobs/" + digest);
    try (Reply r = conn.send(Call.head(uri).withoutRedirects())) {
      int status = r.status();
      if (status == 200 || status == 307 || status == 302 || status == 301 || status == 303
          || status == 308) {
        return true;
      }
      if (status == 404) {
        return false;
      }
      throw errors.forStatus(status, RegistryJson.ErrorsBody.EMPTY, subject);
    } catch (IOException e) {
      throw errors.network(conn.policy().apiHost(), "registry", e, subject);
    }
  }

  @Override
  public void fetchBlob(Descriptor blob, BlobWriter target, TransferListener listener)
      throws RegistryException {
    new BlobDownload(conn, ref, settings).run(blob, target, listener, push);
  }

  @Override
  public void pushBlob(Blob blob, Optional<String> mountFrom, TransferListener listener)
      throws RegistryException {
    requirePush(Subject.upload(ref, blob.digest()));
    new BlobUpload(conn, this, ref, settings, blob, listener).run(mountFrom);
  }

  @Override
  public Digest pushManifest(Optional<String> tag, RawManifest manifest)
      throws RegistryException {
    String reference = tag.orElse(manifest.digest().toString());
    Subject subject = Subject.manifest(ref, reference, true);
    requirePush(subject);
    if (tag.isPresent()) {
      reference(tag.get(), subject);
    }
    URI uri = conn.api(ref.repository() + "/manifests/" + reference);
    Call call = new Call("PUT", uri, Map.of("Content-Type", List.of(manifest.mediaType())),
        Optional.of(RequestBody.of(manifest.bytes())), Set.of(), true, true, false);
    try (Reply r = conn.send(call)) {
      if (!r.successful()) {
        throw errors.forStatus(r.status(), RegistryFeign.errorsBody(r), subject);
      }
      Optional<String> header = r.header("Docker-Content-Digest").map(String::trim);
      if (header.isPresent() && Digest.isValid(header.get())) {
        Digest stored = parse(header.get());
        Digest ours = stored.algorithm().equals(manifest.digest().algorithm())
            ? manifest.digest() : digestOf(manifest.bytes(), stored.algorithm());
        if (!stored.equals(ours)) {
          throw errors.exception(Kind.DIGEST_MISMATCH, "registry " + ref.registry()
              + " stored manifest " + subject.display() + " as " + stored + ", not " + ours);
        }
      }
      return manifest.digest();
    } catch (IOException e) {
      throw errors.network(conn.policy().apiHost(), "registry", e, subject);
    }
  }

  @Override
  public List<String> listTags() throws RegistryException {
    Subject subject = Subject.tags(ref);
    String what = "tag listing of " + ref.fullName();
    Map<String, Object> query = new LinkedHashMap<>();
    if (settings.tagPageSize() > 0) {
      query.put("n", settings.tagPageSize());
    }
    URI base = conn.base();
    TagPage page = FeignBridge.call(() -> tagsApi.first(base, ref.repository(), query), errors,
        what);
    List<String> tags = new ArrayList<>();
    Set<URI> seen = new HashSet<>();
    for (int pages = 1; ; pages++) {
      if (page == null) {
        throw errors.exception(Kind.PROTOCOL, what + " returned no tag list");
      }
      tags.addAll(page.tags());
      Optional<URI> next = page.next();
      if (next.isEmpty()) {
        return List.copyOf(tags);
      }
      if (!seen.add(next.get()) || pages >= MAX_TAG_PAGES) {
        throw errors.exception(Kind.PROTOCOL, what + " does not end (its Link pages repeat)");
      }
      URI nextPage = next.get();
      page = FeignBridge.call(() -> tagsApi.next(nextPage), errors, what);
    }
  }

  private void requirePush(Subject subject) throws RegistryException {
    if (!push) {
      throw errors.exception(Kind.DENIED, "the session for " + subject.repository()
          + " was opened for pulling; pushing needs a push session");
    }
  }

  /** The digest of a digest reference; a tag must follow the tag grammar. */
  private Optional<Digest> reference(String tagOrDigest, Subject subject)
      throws RegistryException {
    if (tagOrDigest.contains(":")) {
      try {
        return Optional.of(Digest.parse(tagOrDigest));
      } catch (ImageFormatException e) {
        throw errors.exception(Kind.PROTOCOL, "invalid manifest reference for "
            + subject.repository() + ": " + e.getMessage());
      }
    }
    if (!TAG.matcher(tagOrDigest).matches()) {
      throw errors.exception(Kind.PROTOCOL, "invalid tag \"" + tagOrDigest + "\" for "
          + subject.repository());
    }
    return Optional.empty();
  }

  private Digest verify(byte[] bytes, Optional<Digest> wanted, Optional<String> header,
      Subject subject) throws RegistryException {
    Digest computed = wanted.isPresent() ? digestOf(bytes, wanted.get().algorithm())
        : Digest.sha256(bytes);
    if (wanted.isPresent() && !wanted.get().equals(computed)) {
      throw errors.exception(Kind.DIGEST_MISMATCH, "manifest " + subject.display()
          + " from " + ref.registry() + " has digest " + computed);
    }
    if (header.isPresent() && Digest.isValid(header.get().trim())) {
      Digest claimed = parse(header.get().trim());
      Digest actual = claimed.algorithm().equals(computed.algorithm()) ? computed
          : digestOf(bytes, claimed.algorithm());
      if (!claimed.equals(actual)) {
        throw errors.exception(Kind.DIGEST_MISMATCH, "manifest " + subject.display()
            + " from " + ref.registry() + " has digest " + actual
            + " but the registry says " + claimed);
      }
    }
    return computed;
  }

  private static Digest digestOf(byte[] bytes, String algorithm) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance(
          Digest.SHA512.equals(algorithm) ? "SHA-512" : "SHA-256");
      return new Digest(algorithm, HexFormat.of().formatHex(md.digest(bytes)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  private Digest parse(String text) throws RegistryException {
    try {
      return Digest.parse(text);
    } catch (ImageFormatException e) {
      throw errors.exception(Kind.PROTOCOL, "registry " + ref.registry() + " sent "
          + e.getMessage());
    }
  }

  /**
   * The manifest's media type: the Content-Type when it names a manifest, else the document's
   * own {@code mediaType}, else a guess from its shape (OCI allows leaving it out).
   */
  static String mediaType(Optional<String> contentType, byte[] bytes) {
    Optional<String> declared = contentType.map(HttpRegistryRepository::bareType);
    if (declared.isPresent() && knownManifestType(declared.get())) {
      return declared.get();
    }
    try {
      JsonNode doc = RegistryJson.MAPPER.readTree(bytes);
      if (doc != null && doc.hasNonNull("mediaType") && doc.get("mediaType").isTextual()) {
        return doc.get("mediaType").asText();
      }
      if (doc != null && doc.has("manifests")) {
        return MediaTypes.OCI_INDEX;
      }
      if (doc != null && doc.has("config") && doc.has("layers")) {
        return MediaTypes.OCI_MANIFEST;
      }
      if (doc != null && doc.has("schemaVersion") && doc.get("schemaVersion").asInt() == 1) {
        return doc.has("signatures") ? MediaTypes.DOCKER_SCHEMA1_SIGNED
            : MediaTypes.DOCKER_SCHEMA1_MANIFEST;
      }
    } catch (IOException e) {
      // not JSON: keep the declared type
    }
    return declared.orElse("application/octet-stream");
  }

  private static boolean knownManifestType(String type) {
    return MediaTypes.isManifest(type) || type.equals(MediaTypes.DOCKER_SCHEMA1_MANIFEST)
        || type.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED);
  }

  private static String bareType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim()
        .toLowerCase(Locale.ROOT);
  }

  private static Optional<Long> number(String s) {
    try {
      return Optional.of(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void sleep(int attempt) throws RegistryException {
    try {
      conn.sleep(settings.retry().delay(attempt, Optional.empty()));
    } catch (java.io.InterruptedIOException e) {
      throw errors.exception(Kind.UNREACHABLE, "interrupted while talking to "
          + ref.registry());
    }
  }
}
