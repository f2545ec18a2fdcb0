package io.zlayer.adapters.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved archives as skopeo reads them, and archives skopeo writes as we load them. */
class TarImageArchiveIT {
  static final String NAME = "docker.io/library/zlayer-archive-it:1";

  @TempDir Path dir;
  private OciLayoutStore store;
  private TestImages.Image image;
  private Path skopeo;

  @BeforeEach
  void buildAnImage() throws Exception {
    skopeo = RealParts.require("skopeo");
    store = new OciLayoutStore(dir.resolve("store"));
    image = TestImages.store(store, TestImages.AMD64, Map.of("hello.txt", "one\n"),
        Map.of("app/two.txt", "two\n"));
    store.tag(ImageReference.parse(NAME), image.manifest());
  }

  @Test
  void skopeoReadsTheOciArchiveByName() throws Exception {
    Path file = dir.resolve("image.oci.tar");
    new TarImageArchive(store).save(List.of(ImageReference.parse(NAME)), file, ArchiveFormat.OCI);
    String raw = RealParts.run(dir, skopeo.toString(), "inspect", "--raw",
        "oci-archive:" + file + ":" + NAME);
    assertEquals(image.manifest().digest(),
        Digest.sha256(raw.strip().getBytes(StandardCharsets.UTF_8)));
    JsonValue.JsonObject info = inspect("oci-archive:" + file);
    assertEquals(image.manifest().digest().toString(), OciLayoutStoreIT.string(info, "Digest"));
    assertEquals(image.layers().stream().map(d -> d.digest().toString()).toList(),
        strings(info.get("Layers").get()));
  }

  @Test
  void skopeoReadsTheDockerArchiveAndItsLayersUnpack() throws Exception {
    Path file = dir.resolve("image.docker.tar");
    new TarImageArchive(store).save(List.of(ImageReference.parse(NAME)), file,
        ArchiveFormat.DOCKER);
    JsonValue.JsonObject info = inspect("docker-archive:" + file);
    assertEquals("amd64", OciLayoutStoreIT.string(info, "Architecture"));
    // docker-archive identifies layers by their uncompressed digests, the config's diff_ids.
    assertEquals(image.diffIds().stream().map(Digest::toString).toList(),
        strings(info.get("Layers").get()));
    JsonValue.JsonObject named = inspect("docker-archive:" + file + ":" + NAME);
    assertEquals(OciLayoutStoreIT.string(info, "Digest"),
        OciLayoutStoreIT.string(named, "Digest"));

    // Copying verifies each layer against its diff_id; then umoci unpacks the copy.
    Path layout = dir.resolve("layout");
    RealParts.run(dir, skopeo.toString(), "copy", "docker-archive:" + file,
        "oci:" + layout + ":copied");
    Path umoci = RealParts.require("umoci");
    Path bundle = dir.resolve("bundle");
    List<String> command = new ArrayList<>(List.of(umoci.toString(), "unpack"));
    if (!"root".equals(System.getProperty("user.name"))) {
      command.add("--rootless");
    }
    command.addAll(List.of("--image", layout + ":copied", bundle.toString()));
    RealParts.run(dir, command.toArray(String[]::new));
    assertEquals("one\n", Files.readString(bundle.resolve("rootfs/hello.txt")));
    assertEquals("two\n", Files.readString(bundle.resolve("rootfs/app/two.txt")));
  }

  @Test
  void loadsWhatSkopeoWritesInBothFormats() throws Exception {
    Path docker = dir.resolve("skopeo.docker.tar");
    Path oci = dir.resolve("skopeo.oci.tar");
    String source = "oci:" + dir.resolve("store") + ":" + NAME;
    RealParts.run(dir, skopeo.toString(), "copy", source,
        "docker-archive:" + docker + ":docker.io/library/from-skopeo:docker");
    RealParts.run(dir, skopeo.toString(), "copy", source,
        "oci-archive:" + oci + ":docker.io/library/from-skopeo:oci");

    OciLayoutStore target = new OciLayoutStore(dir.resolve("target"));
    TarImageArchive archive = new TarImageArchive(target);
    assertEquals(List.of(ImageReference.parse("from-skopeo:docker")), archive.load(docker));
    assertEquals(List.of(ImageReference.parse("from-skopeo:oci")), archive.load(oci));

    Descriptor fromOci = target.resolve(ImageReference.parse("from-skopeo:oci")).orElseThrow();
    assertEquals(image.manifest().digest(), fromOci.digest(), "oci-archive keeps the manifest");
    Descriptor fromDocker = target.resolve(ImageReference.parse("from-skopeo:docker"))
        .orElseThrow();
    ImageManifest m = (ImageManifest) ImageJson.parseManifest(
        target.readBlob(fromDocker.digest()), fromDocker.mediaType());
    assertEquals(image.config().digest(), m.config().digest());
    assertEquals(image.diffIds(), m.layers().stream().map(Descriptor::digest).toList(),
        "skopeo's docker-archive holds uncompressed layers");
    StoreChecks.rootsAreComplete(target);

    // And a round trip through our own archive lands on the same image again.
    Path again = dir.resolve("again.tar");
    new TarImageArchive(target).save(List.of(ImageReference.parse("from-skopeo:docker")), again,
        ArchiveFormat.DOCKER);
    OciLayoutStore third = new OciLayoutStore(dir.resolve("third"));
    new TarImageArchive(third).load(again);
    assertEquals(fromDocker, third.resolve(ImageReference.parse("from-skopeo:docker"))
        .orElseThrow());
  }

  private JsonValue.JsonObject inspect(String transport) throws Exception {
    return (JsonValue.JsonObject) Json.parse(RealParts.run(dir, skopeo.toString(), "inspect",
        transport));
  }

  private static List<String> strings(JsonValue v) {
    return ((JsonValue.JsonArray) v).items().stream()
        .map(i -> ((JsonValue.JsonString) i).value()).toList();
  }
}
