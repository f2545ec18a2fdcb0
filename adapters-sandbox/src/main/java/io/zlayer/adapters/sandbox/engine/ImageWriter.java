package io.zlayer.adapters.sandbox.engine;

import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import java.util.ArrayList;
import java.util.List;

/** Commits a built image: its config and manifest blobs go into the store (the layers are in). */
final class ImageWriter {
  private ImageWriter() {}

  static BuiltImage write(ImageStore store, ImageConfig config, List<LayerRef> layers,
      ImageFormat format, int steps, int cachedSteps) throws ZlayerException {
    if (config.diffIds().size() != layers.size()) {
      throw new IllegalStateException(config.diffIds().size() + " diff_ids for "
          + layers.size() + " layers");
    }
    byte[] configBytes = ImageJson.write(config);
    Digest configDigest = store.putBlob(configBytes);
    List<Descriptor> descriptors = new ArrayList<>();
    for (LayerRef layer : layers) {
      descriptors.add(LayerMediaTypes.forFormat(layer.blob().orElseThrow(
          () -> new IllegalStateException("layer " + layer.diffId() + " has no blob")), format));
    }
    ImageManifest manifest = new ImageManifest(format.manifestType(),
        Descriptor.of(format.configType(), configDigest, configBytes.length), descriptors);
    byte[] manifestBytes = ImageJson.write(manifest);
    Digest manifestDigest = store.putBlob(manifestBytes);
    return new BuiltImage(Descriptor.of(format.manifestType(), manifestDigest,
        manifestBytes.length), configDigest, config, manifest.contentSize(), steps, cachedSteps);
  }
}
