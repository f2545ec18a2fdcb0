package io.zlayer.adapters.sandbox.store;

import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.MediaTypes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Writes images into a store as fast as it can; run as a separate JVM by the multi-process and
 * crash tests: {@code StoreHammer <root> <prefix> <count, 0 = forever> <seed> <churn>}. With churn
 * it also untags older images and prunes now and then. Prints "tagged <i>" after each tag.
 */
public final class StoreHammer {
  private StoreHammer() {}

  public static void main(String[] args) throws Exception {
    OciLayoutStore store = new OciLayoutStore(Path.of(args[0]));
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    Random random = new Random(Long.parseLong(args[3]));
    boolean churn = Boolean.parseBoolean(args[4]);
    for (int i = 0; count == 0 || i < count; i++) {
      Descriptor manifest = writeImage(store, prefix, i, random);
      store.tag(name(prefix, i), manifest);
      System.out.println("tagged " + i);
      System.out.flush();
      if (churn && i % 3 == 2) {
        store.untag(name(prefix, i - 2));
      }
      if (i % 5 == 4) {
        store.prune();
      }
    }
  }

  static ImageReference name(String prefix, int i) throws Exception {
    return ImageReference.parse("localhost:5000/hammer/" + prefix + ":" + i);
  }

  /**
   * An image with a layer every writer shares (written only when the store lacks it, as a pull
   * would) and one of its own, of random size, streamed in random-sized chunks.
   */
  static Descriptor writeImage(ImageStore store, String prefix, int i, Random random)
      throws Exception {
    byte[] shared = "the layer every hammer shares".getBytes(StandardCharsets.UTF_8);
    Digest sharedDigest = Digest.sha256(shared);
    if (!store.hasBlob(sharedDigest)) {
      try (BlobWriter w = store.newBlobWriter()) {
        w.stream().write(shared);
        w.commit(Optional.of(sharedDigest));
      }
    }
    byte[] own = new byte[1 + random.nextInt(256 * 1024)];
    random.nextBytes(own);
    byte[] tag = (prefix + ":" + i).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(tag, 0, own, 0, Math.min(tag.length, own.length));
    Digest ownDigest;
    try (BlobWriter w = store.newBlobWriter()) {
      OutputStream out = w.stream();
      for (int off = 0; off < own.length; ) {
        int n = Math.min(own.length - off, 1 + random.nextInt(40_000));
        out.write(own, off, n);
        off += n;
      }
      ownDigest = w.commit(Optional.of(Digest.sha256(own)));
    }
    List<Descriptor> layers = new ArrayList<>();
    layers.add(Descriptor.of(MediaTypes.OCI_LAYER, sharedDigest, shared.length));
    layers.add(Descriptor.of(MediaTypes.OCI_LAYER, ownDigest, own.length));
    ImageConfig config = ImageConfig.scratch(TestImages.AMD64)
        .withConfig(ContainerConfig.EMPTY.withEnv("HAMMER", prefix + ":" + i))
        .withLayer(sharedDigest, HistoryEntry.of(Instant.EPOCH, "shared", false))
        .withLayer(ownDigest, HistoryEntry.of(Instant.EPOCH, "own", false));
    byte[] configBytes = ImageJson.write(config);
    Digest configDigest = store.putBlob(configBytes);
    byte[] manifest = ImageJson.write(new ImageManifest(MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layers));
    return Descriptor.of(MediaTypes.OCI_MANIFEST, store.putBlob(manifest), manifest.length);
  }
}
