package io.zlayer.application.port;

import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.RawManifest;
import java.util.List;
import java.util.Optional;

/**
 * Operations on one registry repository. Thread-safe: blob transfers of one image run in
 * parallel on the same session.
 */
public interface RegistryRepository {
  /** Fetches a manifest or index by tag or digest, verifying a digest reference. */
  RawManifest fetchManifest(String tagOrDigest) throws RegistryException;

  /** The descriptor of a manifest by tag or digest, if it exists (HEAD request). */
  Optional<Descriptor> headManifest(String tagOrDigest) throws RegistryException;

  boolean hasBlob(Digest digest) throws RegistryException;

  /**
   * Downloads a blob into {@code target}, verifying size and digest while streaming; does not
   * commit the writer. Retries and resumes on transient failures.
   */
  void fetchBlob(Descriptor blob, BlobWriter target, TransferListener listener)
      throws RegistryException;

  /**
   * Uploads a blob unless the registry has it already; tries a cross-repository mount first
   * when {@code mountFrom} names another repository of the same registry.
   */
  void pushBlob(Blob blob, Optional<String> mountFrom, TransferListener listener)
      throws RegistryException;

  /** Puts a manifest or index under a tag (or by digest when {@code tag} is empty). */
  Digest pushManifest(Optional<String> tag, RawManifest manifest) throws RegistryException;

  List<String> listTags() throws RegistryException;

  /** The repository's name without registry ("library/alpine"), for mount-from. */
  String repositoryName();
}
