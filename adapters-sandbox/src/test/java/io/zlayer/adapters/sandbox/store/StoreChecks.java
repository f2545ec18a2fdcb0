package io.zlayer.adapters.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.zlayer.application.port.ImageStore.StoredImage;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Consistency checks of a store on disk, independent of the store's own bookkeeping. */
final class StoreChecks {
  private StoreChecks() {}

  /** index.json parses and every blob file's content hashes to its name. */
  static void filesAreSound(Path root) throws Exception {
    ImageJson.parseManifest(Files.readAllBytes(root.resolve("index.json")), MediaTypes.OCI_INDEX);
    for (Path f : list(root.resolve("blobs/sha256"))) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(f)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
        }
      }
      assertEquals(f.getFileName().toString(), HexFormat.of().formatHex(sha.digest()),
          "blob file " + f + " does not match its name");
    }
  }

  /** Every root reaches only stored, verified blobs; returns everything reached. */
  static Set<Digest> rootsAreComplete(OciLayoutStore store) throws Exception {
    Set<Digest> reached = new HashSet<>();
    for (StoredImage image : store.list()) {
      reached.addAll(ImageClosure.walk(source(store), image.target(), true,
          image.name().map(Object::toString).orElse("unnamed")).blobs().keySet());
    }
    for (Digest d : reached) {
      try (InputStream in = store.blob(d).open()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    return reached;
  }

  /** The blobs one image reaches in a store. */
  static Set<Digest> closure(OciLayoutStore store, io.zlayer.domain.image.Descriptor root)
      throws Exception {
    return new HashSet<>(ImageClosure.walk(source(store), root, true, "image").blobs().keySet());
  }

  private static ImageClosure.Source source(OciLayoutStore store) {
    return new ImageClosure.Source() {
      @Override
      public java.util.OptionalLong size(Digest d) {
        try {
          return java.util.OptionalLong.of(store.blob(d).size());
        } catch (io.zlayer.domain.error.StoreException e) {
          return java.util.OptionalLong.empty();
        }
      }

      @Override
      public byte[] read(Digest d) throws io.zlayer.domain.error.StoreException {
        return store.readBlob(d);
      }

      @Override
      public String where() {
        return store.location();
      }
    };
  }

  /** After a prune with no writer alive: no ingest, lease or temp files left. */
  static void noLeftovers(Path root) throws IOException {
    assertEquals(List.of(), list(root.resolve(".zlayer/ingest")), "ingest leftovers");
    assertEquals(List.of(), list(root.resolve(".zlayer/sessions")), "lease leftovers");
    for (Path f : list(root.resolve(".zlayer"))) {
      if (f.getFileName().toString().endsWith(".tmp")) {
        fail("temp file left: " + f);
      }
    }
  }

  static Set<Digest> blobFiles(Path root) throws IOException {
    Set<Digest> out = new HashSet<>();
    for (Path f : list(root.resolve("blobs/sha256"))) {
      out.add(new Digest(Digest.SHA256, f.getFileName().toString()));
    }
    return out;
  }

  static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
