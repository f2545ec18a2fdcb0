package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.image.RawManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A generated image: random layers, a config naming them, an OCI manifest. */
record TestImage(byte[] config, List<byte[]> layers, RawManifest manifest) {

  static TestImage generate(long seed, int... layerSizes) {
    List<byte[]> layers = new ArrayList<>();
    ImageConfig cfg = ImageConfig.scratch(new Platform("linux", "amd64", Optional.empty(),
        Optional.empty()));
    List<Descriptor> descriptors = new ArrayList<>();
    for (int i = 0; i < layerSizes.length; i++) {
      byte[] layer = TestBlobs.random(layerSizes[i], seed * 31 + i);
      layers.add(layer);
      Digest d = Digest.sha256(layer);
      cfg = cfg.withLayer(d, HistoryEntry.of(Instant.parse("2026-01-01T00:00:00Z"),
          "layer " + i, false));
      descriptors.add(Descriptor.of(MediaTypes.OCI_LAYER, d, layer.length));
    }
    byte[] config = ImageJson.write(cfg);
    ImageManifest m = new ImageManifest(MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length), descriptors);
    return new TestImage(config, List.copyOf(layers),
        RawManifest.of(ImageJson.write(m), MediaTypes.OCI_MANIFEST));
  }

  List<byte[]> blobs() {
    List<byte[]> all = new ArrayList<>(layers);
    all.add(config);
    return all;
  }

  Digest push(RegistryRepository repo, String tag, Optional<String> mountFrom)
      throws RegistryException {
    for (byte[] b : blobs()) {
      repo.pushBlob(TestBlobs.stream(b), mountFrom, TransferListener.NONE);
    }
    return repo.pushManifest(Optional.of(tag), manifest);
  }

  /** Pulls by tag and checks every byte of manifest, config and layers. */
  void pullAndCompare(RegistryRepository repo, String tag) throws Exception {
    RawManifest fetched = repo.fetchManifest(tag);
    assertArrayEquals(manifest.bytes(), fetched.bytes());
    assertEquals(manifest.digest(), fetched.digest());
    assertEquals(MediaTypes.OCI_MANIFEST, fetched.mediaType());
    ImageManifest m = (ImageManifest) fetched.parse();
    TestBlobs.MemoryWriter cw = new TestBlobs.MemoryWriter();
    repo.fetchBlob(m.config(), cw, TransferListener.NONE);
    assertArrayEquals(config, cw.bytes());
    for (int i = 0; i < layers.size(); i++) {
      TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
      repo.fetchBlob(m.layers().get(i), w, TransferListener.NONE);
      assertArrayEquals(layers.get(i), w.bytes(), "layer " + i);
    }
  }
}
