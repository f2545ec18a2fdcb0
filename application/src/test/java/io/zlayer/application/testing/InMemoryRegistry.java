package io.zlayer.application.testing;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.Registry;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Registry} in memory that behaves like a distribution registry where it matters to
 * a client (blobs checked against their digest, manifests refused while a blob they name is
 * missing) and records every blob and manifest pushed, in order.
 */
public final class InMemoryRegistry implements Registry {
  private final Map<String, Repository> repositories = new ConcurrentHashMap<>();

  /** A manifest push as the registry received it. */
  public record ManifestPush(String repository, Optional<String> tag, Digest digest,
      String mediaType, byte[] bytes) {}

  /** A blob upload as the registry received it (blobs it had already are not uploaded). */
  public record BlobPush(String repository, Digest digest, long size) {}

  private final List<ManifestPush> manifestPushes = Collections.synchronizedList(
      new ArrayList<>());
  private final List<BlobPush> blobPushes = Collections.synchronizedList(new ArrayList<>());

  @Override
  public RegistryRepository repository(ImageReference repository, RegistryOptions options,
      boolean push) {
    return repositories.computeIfAbsent(repository.fullName(), Repository::new);
  }

  public List<ManifestPush> manifestPushes() {
    return List.copyOf(manifestPushes);
  }

  public List<BlobPush> blobPushes() {
    return List.copyOf(blobPushes);
  }

  /** The blob's bytes in a repository ({@code localhost:5000/team/app}), if it has it. */
  public Optional<byte[]> blob(String repository, Digest digest) {
    Repository r = repositories.get(repository);
    return r == null ? Optional.empty() : Optional.ofNullable(r.blobs.get(digest))
        .map(byte[]::clone);
  }

  private final class Repository implements RegistryRepository {
    private final String fullName;
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<Digest, RawManifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, Digest> tags = new ConcurrentHashMap<>();

    Repository(String fullName) {
      this.fullName = fullName;
    }

    @Override
    public RawManifest fetchManifest(String tagOrDigest) throws RegistryException {
      return find(tagOrDigest).orElseThrow(() -> new RegistryException(Kind.NOT_FOUND,
          "manifest " + tagOrDigest + " not found in " + fullName));
    }

    @Override
    public Optional<Descriptor> headManifest(String tagOrDigest) {
      return find(tagOrDigest).map(RawManifest::descriptor);
    }

    private Optional<RawManifest> find(String tagOrDigest) {
      Digest d = tags.get(tagOrDigest);
      if (d == null && Digest.isValid(tagOrDigest)) {
        try {
          d = Digest.parse(tagOrDigest);
        } catch (ImageFormatException e) {
          return Optional.empty();
        }
      }
      return d == null ? Optional.empty() : Optional.ofNullable(manifests.get(d));
    }

    @Override
    public boolean hasBlob(Digest digest) {
      return blobs.containsKey(digest);
    }

    @Override
    public void fetchBlob(Descriptor blob, BlobWriter target, TransferListener listener)
        throws RegistryException {
      byte[] content = blobs.get(blob.digest());
      if (content == null) {
        throw new RegistryException(Kind.NOT_FOUND, "blob " + blob.digest() + " not found in "
            + fullName);
      }
      try {
        OutputStream out = target.stream();
        out.write(content);
        out.flush();
      } catch (IOException e) {
        throw new RegistryException(Kind.PROTOCOL, "cannot write blob: " + e.getMessage());
      }
      listener.progress(content.length, content.length);
    }

    @Override
    public void pushBlob(Blob blob, Optional<String> mountFrom, TransferListener listener)
        throws RegistryException {
      byte[] content;
      try (InputStream in = blob.open()) {
        content = in.readAllBytes();
      } catch (IOException e) {
        throw new RegistryException(Kind.PROTOCOL, "cannot read blob " + blob.digest() + ": "
            + e.getMessage());
      }
      if (!Digest.sha256(content).equals(blob.digest()) || content.length != blob.size()) {
        throw new RegistryException(Kind.PROTOCOL, "blob upload " + blob.digest()
            + " does not match its content (DIGEST_INVALID)");
      }
      blobs.put(blob.digest(), content);
      blobPushes.add(new BlobPush(fullName, blob.digest(), content.length));
      listener.progress(content.length, content.length);
    }

    @Override
    public Digest pushManifest(Optional<String> tag, RawManifest manifest)
        throws RegistryException {
      Digest digest = Digest.sha256(manifest.bytes());
      Manifest parsed;
      try {
        parsed = manifest.parse();
      } catch (ImageFormatException e) {
        throw new RegistryException(Kind.PROTOCOL, "MANIFEST_INVALID: " + e.getMessage());
      }
      List<Descriptor> needed = new ArrayList<>();
      if (parsed instanceof ImageManifest m) {
        needed.add(m.config());
        needed.addAll(m.layers());
      }
      for (Descriptor d : needed) {
        if (!blobs.containsKey(d.digest())) {
          throw new RegistryException(Kind.PROTOCOL, "MANIFEST_BLOB_UNKNOWN: " + d.digest());
        }
      }
      if (parsed instanceof ImageIndex index) {
        for (Descriptor d : index.manifests()) {
          if (!manifests.containsKey(d.digest())) {
            throw new RegistryException(Kind.PROTOCOL, "MANIFEST_UNKNOWN: " + d.digest());
          }
        }
      }
      manifests.put(digest, new RawManifest(manifest.bytes(), manifest.mediaType(), digest));
      tag.ifPresent(t -> tags.put(t, digest));
      manifestPushes.add(new ManifestPush(fullName, tag, digest, manifest.mediaType(),
          manifest.bytes()));
      return digest;
    }

    @Override
    public List<String> listTags() {
      return tags.keySet().stream().sorted().toList();
    }

    @Override
    public String repositoryName() {
      return fullName.substring(fullName.indexOf('/') + 1);
    }
  }
}
