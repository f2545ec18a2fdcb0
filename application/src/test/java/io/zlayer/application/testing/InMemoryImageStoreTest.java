package io.zlayer.application.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore.PruneReport;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryImageStoreTest {
  private final InMemoryImageStore store = new InMemoryImageStore();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aWriterCommitsOnlyContentWithTheExpectedDigest() throws Exception {
    try (BlobWriter w = store.newBlobWriter()) {
      w.stream().write(bytes("layer"));
      StoreException e = assertThrows(StoreException.class,
          () -> w.commit(Optional.of(Digest.sha256(bytes("other")))));
      assertTrue(e.getMessage().startsWith("digest mismatch"), e.getMessage());
    }
    assertFalse(store.hasBlob(Digest.sha256(bytes("layer"))));
    try (BlobWriter w = store.newBlobWriter()) {
      w.stream().write(bytes("layer"));
      assertEquals(Digest.sha256(bytes("layer")), w.commit(Optional.of(
          Digest.sha256(bytes("layer")))));
    }
    assertArrayEquals(bytes("layer"), store.readBlob(Digest.sha256(bytes("layer"))));
  }

  @Test
  void readsNoticeCorruptContent() throws Exception {
    Digest d = store.putBlob(bytes("config"));
    store.corrupt(d, bytes("tampered"));
    assertThrows(StoreException.class, () -> store.readBlob(d));
    try (InputStream in = store.blob(d).open()) {
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }
    StoreException missing = assertThrows(StoreException.class,
        () -> store.blob(Digest.sha256(bytes("absent"))));
    assertTrue(missing.isNotFound());
  }

  @Test
  void pruneKeepsWhatNamedImagesReach() throws Exception {
    Digest config = store.putBlob(bytes("{}"));
    Digest layer = store.putBlob(bytes("layer"));
    Digest stray = store.putBlob(bytes("stray"));
    byte[] manifest = ImageJson.write(new ImageManifest(MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, config, 2),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER, layer, 5))));
    Digest m = store.putBlob(manifest);
    ImageReference name = ImageReference.parse("app:1");
    store.tag(name, Descriptor.of(MediaTypes.OCI_MANIFEST, m, manifest.length));

    PruneReport report = store.prune();
    assertEquals(new PruneReport(1, 5), report);
    assertFalse(store.hasBlob(stray));
    assertTrue(store.hasBlob(layer));

    assertTrue(store.untag(name));
    assertEquals(new PruneReport(3, 2 + 5 + manifest.length), store.prune());
    assertEquals(0, store.blobCount());
  }
}
