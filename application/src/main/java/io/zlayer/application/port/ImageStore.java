package io.zlayer.application.port;

import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.util.List;
import java.util.Optional;

/**
 * The local image store: content-addressed blobs plus named references to manifests or indexes.
 * Implementations are safe for concurrent use by several threads and several processes, and
 * never leave partially written content visible.
 */
public interface ImageStore {
  boolean hasBlob(Digest digest) throws StoreException;

  /** A stored blob; fails with a not-found {@link StoreException} when absent. */
  Blob blob(Digest digest) throws StoreException;

  /** Reads a small blob (manifest, config) whole, verifying its digest. */
  byte[] readBlob(Digest digest) throws StoreException;

  /** Stores a small blob (manifest, config) given as bytes. */
  Digest putBlob(byte[] content) throws StoreException;

  BlobWriter newBlobWriter() throws StoreException;

  /** Points a name at a manifest or index, replacing what the name pointed at before. */
  void tag(ImageReference name, Descriptor target) throws StoreException;

  Optional<Descriptor> resolve(ImageReference name) throws StoreException;

  /** Every named and unnamed image root (manifest or index) in the store. */
  List<StoredImage> list() throws StoreException;

  /** Removes a name; returns false when the name was not there. Blobs stay until a prune. */
  boolean untag(ImageReference name) throws StoreException;

  /** Records an unnamed root (e.g. a build without {@code -t}) so prune keeps it. */
  void addRoot(Descriptor target) throws StoreException;

  /** Removes roots pointing at a manifest, named or not; returns how many were removed. */
  int removeRoots(Digest manifest) throws StoreException;

  /** Deletes blobs no root reaches (and leftovers of interrupted writes). */
  PruneReport prune() throws StoreException;

  /** Where the store lives, for messages such as "saved to oci:/home/u/.zlayer/store". */
  String location();

  /** A root of the store: an optional name and the manifest or index it points at. */
  record StoredImage(Optional<ImageReference> name, Descriptor target) {}

  record PruneReport(int blobsRemoved, long bytesFreed) {}
}
