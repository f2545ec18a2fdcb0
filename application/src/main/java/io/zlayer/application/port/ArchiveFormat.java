package io.zlayer.application.port;

/** The layout of an image archive file ({@code zlayer save --format}). */
public enum ArchiveFormat {
  /** An OCI image layout as a tar, what {@code skopeo copy oci-archive:} reads. */
  OCI,
  /** The {@code docker save} tarball ({@code manifest.json}), what {@code docker load} reads. */
  DOCKER
}
