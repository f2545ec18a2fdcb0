package io.zlayer.bootstrap.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What the equivalence tests compare of one built image: config fields and file tree. */
record ImageSnapshot(ConfigFields config, FlattenedTree tree) {

  /**
   * Reads an image from a directory of blobs: {@code blobs/sha256/HEX} of an OCI layout (zlayer's
   * store) or {@code HEX} of a containers/image {@code dir:} copy.
   */
  static ImageSnapshot read(byte[] manifest, Function<String, Path> blobByHex)
      throws IOException {
    JsonNode m = ConfigFields.JSON.readTree(manifest);
    if (!m.path("layers").isArray() || !m.path("config").isObject()) {
      throw new IOException("not an image manifest: " + new String(manifest));
    }
    byte[] config = Files.readAllBytes(blobByHex.apply(hex(m.path("config"))));
    List<Path> layers = new ArrayList<>();
    for (JsonNode layer : m.path("layers")) {
      layers.add(blobByHex.apply(hex(layer)));
    }
    return new ImageSnapshot(ConfigFields.of(config), FlattenedTree.of(layers));
  }

  /** An image copied with {@code dir:DIR} (skopeo or buildah push). */
  static ImageSnapshot readDirCopy(Path dir) throws IOException {
    return read(Files.readAllBytes(dir.resolve("manifest.json")), dir::resolve);
  }

  private static String hex(JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText();
    if (!digest.startsWith("sha256:")) {
      throw new IOException("unexpected digest " + digest);
    }
    return digest.substring("sha256:".length());
  }

  ImageSnapshot withConfig(ConfigFields c) {
    return new ImageSnapshot(c, tree);
  }

  ImageSnapshot withTree(FlattenedTree t) {
    return new ImageSnapshot(config, t);
  }
}
