package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.testing.LocalRegistry;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's proof with the real jar and a real registry: pull → tag → push round-trips an image
 * bit for bit (checked with skopeo), save/load round-trip, umoci reads the store.
 */
class ImageRoundTripIT {
  private static LocalRegistry registry;
  private static ImageReference base;
  private static Descriptor baseManifest;

  @TempDir Path dir;

  @BeforeAll
  static void pushBase(@TempDir Path fixture) throws Exception {
    registry = LocalRegistry.start(false);
    base = ImageReference.parse(registry.host() + "/test/busybox:1");
    OciLayoutStore store = new OciLayoutStore(fixture.resolve("home/store"));
    baseManifest = BusyboxImage.writeInto(store, base, fixture);
    new ZlayerJar(fixture.resolve("home")).run("push", "--progress", "plain", base.toString())
        .ok();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pullTagPushKeepsTheManifestBitForBit() throws Exception {
    ZlayerJar zlayer = new ZlayerJar(dir.resolve("home"));
    ZlayerJar.Result pulled = zlayer.run("pull", base.toString()).ok();
    assertTrue(pulled.out().contains("Digest: " + baseManifest.digest()), pulled.out());
    String copy = registry.host() + "/copy/busybox:2";
    zlayer.run("tag", base.toString(), copy).ok();
    Path digestFile = dir.resolve("digest");
    zlayer.run("push", "--digestfile", digestFile.toString(), copy).ok();
    assertEquals(baseManifest.digest().toString(), Files.readString(digestFile).trim());
    byte[] original = skopeoRaw(base.toString());
    byte[] pushed = skopeoRaw(copy);
    assertEquals(Digest.sha256(original), Digest.sha256(pushed));
    assertEquals(baseManifest.digest(), Digest.sha256(pushed));
    String images = zlayer.run("images").ok().out();
    assertTrue(images.contains(registry.host() + "/copy/busybox"), images);
  }

  @Test
  void saveAndLoadRoundTripInBothFormats() throws Exception {
    ZlayerJar first = new ZlayerJar(dir.resolve("first"));
    first.run("pull", "-q", base.toString()).ok();
    Path oci = dir.resolve("image-oci.tar");
    Path docker = dir.resolve("image-docker.tar");
    first.run("save", "-o", oci.toString(), base.toString()).ok();
    first.run("save", "--format", "docker", "-o", docker.toString(), base.toString()).ok();
    Path skopeo = RealParts.require("skopeo");
    String ociView = RealParts.run(dir, skopeo.toString(), "inspect", "--raw",
        "oci-archive:" + oci);
    assertEquals(baseManifest.digest(), Digest.sha256(ociView.getBytes(StandardCharsets.UTF_8)));
    RealParts.run(dir, skopeo.toString(), "inspect", "docker-archive:" + docker);

    ZlayerJar second = new ZlayerJar(dir.resolve("second"));
    String loaded = second.run("load", "-i", oci.toString()).ok().out();
    assertTrue(loaded.contains("Loaded image"), loaded);
    String inspect = second.run("inspect", base.toString()).ok().out();
    assertTrue(inspect.contains(baseManifest.digest().toString()), inspect);

    ZlayerJar third = new ZlayerJar(dir.resolve("third"));
    third.run("load", "-i", docker.toString()).ok();
    assertTrue(third.run("images").ok().out().contains("test/busybox"));
  }

  @Test
  void umociUnpacksWhatZlayerPulled() throws Exception {
    Path umoci = RealParts.require("umoci");
    ZlayerJar zlayer = new ZlayerJar(dir.resolve("home"));
    zlayer.run("pull", base.toString()).ok();
    Path bundle = dir.resolve("bundle");
    RealParts.run(dir, umoci.toString(), "unpack", "--image",
        dir.resolve("home/store") + ":" + base, bundle.toString());
    assertTrue(Files.isRegularFile(bundle.resolve("rootfs/bin/busybox")));
    assertTrue(Files.isSymbolicLink(bundle.resolve("rootfs/bin/sh")));
  }

  private byte[] skopeoRaw(String ref) throws Exception {
    Path skopeo = RealParts.require("skopeo");
    Process p = new ProcessBuilder(skopeo.toString(), "inspect", "--raw", "--tls-verify=false",
        "docker://" + ref).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), "skopeo inspect " + ref);
    return out;
  }
}
