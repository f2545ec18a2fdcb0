package io.zlayer.adapters.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store as skopeo and umoci see it: an OCI layout they read with the oci: transport. */
class OciLayoutStoreIT {
  static final String NAME = "docker.io/library/zlayer-it:1";

  @TempDir Path dir;
  private Path root;
  private OciLayoutStore store;
  private TestImages.Image image;

  @BeforeEach
  void buildAnImage() throws Exception {
    root = dir.resolve("store");
    store = new OciLayoutStore(root);
    Map<String, String> bottom = new LinkedHashMap<>();
    bottom.put("etc/zlayer-release", "zlayer test image\n");
    bottom.put("hello.txt", "hello from layer one\n");
    image = TestImages.store(store, TestImages.AMD64, bottom,
        Map.of("app/greeting.txt", "hello from layer two\n"));
    store.tag(ImageReference.parse(NAME), image.manifest());
  }

  @Test
  void skopeoInspectsTheStoredImageByItsName() throws Exception {
    Path skopeo = RealParts.require("skopeo");
    String raw = RealParts.run(dir, skopeo.toString(), "inspect", "--raw",
        "oci:" + root + ":" + NAME);
    assertEquals(image.manifest().digest(),
        Digest.sha256(raw.strip().getBytes(StandardCharsets.UTF_8)));

    JsonValue.JsonObject info = (JsonValue.JsonObject) Json.parse(RealParts.run(dir,
        skopeo.toString(), "inspect", "oci:" + root + ":" + NAME));
    assertEquals(image.manifest().digest().toString(), string(info, "Digest"));
    assertEquals("amd64", string(info, "Architecture"));
    assertEquals("linux", string(info, "Os"));
    List<String> layers = new ArrayList<>();
    for (JsonValue v : ((JsonValue.JsonArray) info.get("Layers").get()).items()) {
      layers.add(((JsonValue.JsonString) v).value());
    }
    assertEquals(image.layers().stream().map(d -> d.digest().toString()).toList(), layers);
  }

  @Test
  void skopeoCopiesOutOfTheStoreVerifyingEveryBlob() throws Exception {
    Path skopeo = RealParts.require("skopeo");
    Path out = dir.resolve("copy");
    RealParts.run(dir, skopeo.toString(), "copy", "--preserve-digests",
        "oci:" + root + ":" + NAME, "dir:" + out);
    for (Descriptor layer : image.layers()) {
      assertEquals(Files.size(store.blobPath(layer.digest())),
          Files.size(out.resolve(layer.digest().hex())));
    }
  }

  @Test
  void umociUnpacksTheStoredImageIntoABundle() throws Exception {
    Path umoci = RealParts.require("umoci");
    Path bundle = dir.resolve("bundle");
    List<String> command = new ArrayList<>(List.of(umoci.toString(), "unpack"));
    if (!"root".equals(System.getProperty("user.name"))) {
      command.add("--rootless");
    }
    command.addAll(List.of("--image", root + ":" + NAME, bundle.toString()));
    RealParts.run(dir, command.toArray(String[]::new));
    assertEquals("hello from layer one\n",
        Files.readString(bundle.resolve("rootfs/hello.txt")));
    assertEquals("zlayer test image\n",
        Files.readString(bundle.resolve("rootfs/etc/zlayer-release")));
    assertEquals("hello from layer two\n",
        Files.readString(bundle.resolve("rootfs/app/greeting.txt")));
    assertTrue(Files.isRegularFile(bundle.resolve("config.json")));
    // umoci only read the layout: the store is exactly as it was.
    StoreChecks.filesAreSound(root);
    assertEquals(image.blobs().size(), StoreChecks.rootsAreComplete(store).size());
  }

  @Test
  void whatSkopeoWritesIntoTheLayoutTheStoreReads() throws Exception {
    Path skopeo = RealParts.require("skopeo");
    RealParts.run(dir, skopeo.toString(), "copy", "oci:" + root + ":" + NAME,
        "oci:" + root + ":docker.io/library/copied:2");
    Descriptor copied = store.resolve(ImageReference.parse("copied:2")).orElseThrow();
    StoreChecks.rootsAreComplete(store);
    assertEquals(2, store.list().size());
    // And our prune keeps what skopeo named.
    store.prune();
    StoreChecks.filesAreSound(root);
    assertEquals(StoreChecks.closure(store, copied).size(), image.blobs().size());
  }

  static String string(JsonValue.JsonObject o, String key) {
    return ((JsonValue.JsonString) o.get(key).get()).value();
  }
}
