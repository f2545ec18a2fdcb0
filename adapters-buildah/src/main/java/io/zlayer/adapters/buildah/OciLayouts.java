package io.zlayer.adapters.buildah;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OCI image layouts as the hand-over between zlayer's image store and buildah's storage: a
 * one-image layout of store content for {@code buildah pull oci:DIR} (blobs linked to the store's
 * files when the store is an OCI layout itself, copied otherwise), and the layout {@code buildah
 * push} writes, read back into the store.
 */
final class OciLayouts {
  private OciLayouts() {}

  /** A layout read back from disk: its one manifest, the config, and where the blobs are. */
  record PushedImage(Path dir, Descriptor manifestDescriptor, ImageManifest manifest,
      ImageConfig config) {
    Path blobFile(Digest digest) {
      return OciLayouts.blobFile(dir, digest);
    }
  }

  /**
   * Writes {@code dir} as a layout holding one image of {@code store}. With {@code
   * withoutOnBuild}, an image whose config has ONBUILD triggers is written with a copy of the
   * config without them (and a manifest pointing at that copy): {@code buildah from} runs the
   * triggers of its image itself, while zlayer's evaluator has already made them steps.
   *
   * @return whether the image was written unchanged
   */
  static boolean writeFromStore(Path dir, ImageStore store, Descriptor manifest,
      boolean withoutOnBuild) throws StoreException, IOException, ImageFormatException {
    byte[] manifestBytes = store.readBlob(manifest.digest());
    Manifest parsed = ImageJson.parseManifest(manifestBytes, manifest.mediaType());
    if (!(parsed instanceof ImageManifest image)) {
      throw new ImageFormatException("expected an image manifest at " + manifest.digest());
    }
    byte[] configBytes = store.readBlob(image.config().digest());
    Digest manifestDigest = manifest.digest();
    boolean unchanged = true;
    if (withoutOnBuild) {
      ImageConfig config = ImageJson.parseConfig(configBytes);
      if (!config.config().onBuild().isEmpty()) {
        configBytes = ImageJson.write(config.withConfig(
            config.config().toBuilder().onBuild(List.of()).build()));
        Descriptor configDescriptor = Descriptor.of(image.config().mediaType(),
            Digest.sha256(configBytes), configBytes.length);
        image = new ImageManifest(image.mediaType(), configDescriptor, image.layers());
        manifestBytes = ImageJson.write(image);
        manifestDigest = Digest.sha256(manifestBytes);
        unchanged = false;
      }
    }
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}",
        StandardCharsets.UTF_8);
    Descriptor entry = Descriptor.of(image.mediaType(), manifestDigest, manifestBytes.length);
    Files.write(dir.resolve("index.json"), ImageJson.write(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(entry), Map.of())));
    writeBlob(dir, manifestDigest, manifestBytes);
    writeBlob(dir, image.config().digest(), configBytes);
    Optional<Path> storeRoot = storeRoot(store);
    for (Descriptor layer : image.layers()) {
      Path target = blobFile(dir, layer.digest());
      if (Files.exists(target)) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Optional<Path> source = storeRoot.map(r -> blobFile(r, layer.digest()))
          .filter(Files::isRegularFile);
      if (source.isPresent()) {
        Files.createSymbolicLink(target, source.get());
        continue;
      }
      Blob blob = store.blob(layer.digest());
      Optional<Path> file = blob.file();
      if (file.isPresent()) {
        Files.createSymbolicLink(target, file.get().toAbsolutePath());
      } else {
        try (InputStream in = blob.open()) {
          Files.copy(in, target);
        }
      }
    }
    return unchanged;
  }

  /** Reads the single image {@code buildah push} wrote into {@code dir}. */
  static PushedImage read(Path dir) throws IOException, ImageFormatException {
    Manifest index = ImageJson.parseManifest(Files.readAllBytes(dir.resolve("index.json")),
        MediaTypes.OCI_INDEX);
    if (!(index instanceof ImageIndex idx) || idx.manifests().size() != 1) {
      throw new ImageFormatException("buildah push wrote an unexpected index to " + dir);
    }
    Descriptor entry = idx.manifests().get(0);
    Manifest m = ImageJson.parseManifest(Files.readAllBytes(blobFile(dir, entry.digest())),
        entry.mediaType());
    if (!(m instanceof ImageManifest manifest)) {
      throw new ImageFormatException("buildah push wrote an index, not an image, to " + dir);
    }
    ImageConfig config = ImageJson.parseConfig(
        Files.readAllBytes(blobFile(dir, manifest.config().digest())));
    return new PushedImage(dir, entry, manifest, config);
  }

  /** Copies a blob file into the store (unless it is there), checking its digest. */
  static void importBlob(ImageStore store, Path file, Digest digest)
      throws StoreException, IOException {
    if (store.hasBlob(digest)) {
      return;
    }
    try (BlobWriter writer = store.newBlobWriter()) {
      try (InputStream in = Files.newInputStream(file)) {
        OutputStream out = writer.stream();
        in.transferTo(out);
      }
      writer.commit(Optional.of(digest));
    }
  }

  static Path blobFile(Path layout, Digest digest) {
    return layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  /** The store's directory, when it is an OCI layout on this machine. */
  static Optional<Path> storeRoot(ImageStore store) {
    String location = store.location();
    if (!location.startsWith("oci:")) {
      return Optional.empty();
    }
    Path root = Path.of(location.substring("oci:".length()));
    return Files.isRegularFile(root.resolve("oci-layout")) ? Optional.of(root) : Optional.empty();
  }

  private static void writeBlob(Path dir, Digest digest, byte[] content) throws IOException {
    Path target = blobFile(dir, digest);
    Files.createDirectories(target.getParent());
    if (!Files.exists(target)) {
      Files.write(target, content);
    }
  }
}
