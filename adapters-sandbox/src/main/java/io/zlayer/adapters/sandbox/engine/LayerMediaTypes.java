package io.zlayer.adapters.sandbox.engine;

import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.MediaTypes;
import java.util.Map;

/**
 * Base image layers keep their bytes in the built image, but their media types follow the
 * image's format, as BuildKit converts them: a Docker gzip layer is an OCI gzip layer in an OCI
 * image and the other way round.
 */
final class LayerMediaTypes {
  static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

  private static final Map<String, String> TO_OCI = Map.of(
      MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.OCI_LAYER_GZIP,
      MediaTypes.DOCKER_LAYER_FOREIGN_GZIP, MediaTypes.OCI_LAYER_NONDIST_GZIP,
      DOCKER_LAYER_TAR, MediaTypes.OCI_LAYER);
  private static final Map<String, String> TO_DOCKER = Map.of(
      MediaTypes.OCI_LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP,
      MediaTypes.OCI_LAYER_NONDIST_GZIP, MediaTypes.DOCKER_LAYER_FOREIGN_GZIP,
      MediaTypes.OCI_LAYER, DOCKER_LAYER_TAR);

  private LayerMediaTypes() {}

  static Descriptor forFormat(Descriptor layer, ImageFormat format) throws BuildException {
    String type = layer.mediaType();
    if (format == ImageFormat.OCI) {
      return layer.withMediaType(TO_OCI.getOrDefault(type, type));
    }
    if (type.endsWith("+zstd") || type.endsWith(".zstd")) {
      throw new BuildException("layer " + layer.digest() + " is zstd-compressed, which the "
          + "Docker image format cannot describe", -1, java.util.List.of(),
          "build with --format oci", null);
    }
    return layer.withMediaType(TO_DOCKER.getOrDefault(type, type));
  }
}
