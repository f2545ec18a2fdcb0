package io.zlayer.application.image;

import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.RawManifest;
import java.util.Optional;

/**
 * A single-platform image read from the local store: its manifest (exact bytes and parsed) and
 * its config. {@code index} is set when the name pointed at an index and this is the entry
 * picked for the platform.
 */
public record LocalImage(RawManifest rawManifest, ImageManifest manifest, ImageConfig config,
    Optional<RawManifest> index) {

  public Descriptor manifestDescriptor() {
    return rawManifest.descriptor();
  }

  /** Docker's image ID: the config digest. */
  public String imageId() {
    return manifest.config().digest().toString();
  }
}
