package io.zlayer.domain.image;

/** Which family of media types an image is written with ({@code --format oci|docker}). */
public enum ImageFormat {
  OCI(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, MediaTypes.OCI_INDEX),
  DOCKER(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_CONFIG, MediaTypes.DOCKER_MANIFEST_LIST);

  private final String manifestType;
  private final String configType;
  private final String indexType;

  ImageFormat(String manifestType, String configType, String indexType) {
    this.manifestType = manifestType;
    this.configType = configType;
    this.indexType = indexType;
  }

  public String manifestType() {
    return manifestType;
  }

  public String configType() {
    return configType;
  }

  public String indexType() {
    return indexType;
  }

  public static ImageFormat ofManifestType(String mediaType) {
    return MediaTypes.DOCKER_MANIFEST.equals(mediaType) ? DOCKER : OCI;
  }
}
