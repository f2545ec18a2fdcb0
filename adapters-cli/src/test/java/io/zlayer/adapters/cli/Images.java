package io.zlayer.adapters.cli;

import io.zlayer.application.image.LocalImage;
import io.zlayer.application.usecase.ManageLocalImages.ImageSummary;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.image.RawManifest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small but real images (JSON written by the domain) for command tests. */
final class Images {
  static final Instant CREATED = Instant.parse("2026-01-02T02:01:05Z");

  private Images() {}

  static Digest digest(String seed) {
    return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
  }

  static ImageConfig config() {
    ContainerConfig c = ContainerConfig.EMPTY.toBuilder()
        .env(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
        .cmd(Optional.of(List.of("/bin/sh"))).build();
    return ImageConfig.scratch(Platform.of("linux", "amd64")).withConfig(c)
        .withCreated(CREATED);
  }

  /** A single-platform image with one layer; optionally picked from an index. */
  static LocalImage image(boolean fromIndex) {
    byte[] configJson = ImageJson.write(config());
    Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(configJson),
        configJson.length);
    Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest("layer"), 3_622_892);
    ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST, configDescriptor,
        List.of(layer));
    RawManifest raw = RawManifest.of(ImageJson.write(manifest), MediaTypes.OCI_MANIFEST);
    Optional<RawManifest> index = Optional.empty();
    if (fromIndex) {
      ImageIndex idx = new ImageIndex(MediaTypes.OCI_INDEX,
          List.of(raw.descriptor().withPlatform(Platform.of("linux", "amd64"))), Map.of());
      index = Optional.of(RawManifest.of(ImageJson.write(idx), MediaTypes.OCI_INDEX));
    }
    return new LocalImage(raw, manifest, config(), index);
  }

  static ImageReference ref(String text) {
    try {
      return ImageReference.parse(text);
    } catch (InvalidReferenceException e) {
      throw new AssertionError(e);
    }
  }

  static ImageSummary summary(String name, String seed, Instant created, long size) {
    return new ImageSummary(Optional.ofNullable(name).map(Images::ref), digest(seed + "-m"),
        digest(seed), Optional.ofNullable(created), size, false);
  }
}
