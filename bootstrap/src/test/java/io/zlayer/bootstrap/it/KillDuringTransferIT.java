package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.layer.LayerBlob;
import io.zlayer.adapters.sandbox.layer.LayerTarOptions;
import io.zlayer.adapters.sandbox.layer.LayerTarWriter;
import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.testing.LocalRegistry;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store survives {@code kill -9} of zlayer in the middle of a pull and of a push. */
class KillDuringTransferIT {
  private static LocalRegistry registry;
  private static ImageReference big;
  private static Descriptor bigManifest;
  private static Path fixtureHome;

  @TempDir Path dir;

  @BeforeAll
  static void pushABigImage(@TempDir Path fixture) throws Exception {
    registry = LocalRegistry.start(false);
    big = ImageReference.parse(registry.host() + "/test/big:1");
    fixtureHome = fixture.resolve("home");
    OciLayoutStore store = new OciLayoutStore(fixtureHome.resolve("store"));
    Path rootfs = Files.createDirectories(fixture.resolve("rootfs/data"));
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    for (int f = 0; f < 3; f++) {
      try (OutputStream out = Files.newOutputStream(rootfs.resolve("blob" + f))) {
        for (int i = 0; i < 60; i++) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
    }
    LayerBlob layer;
    try (BlobWriter w = store.newBlobWriter()) {
      layer = new LayerTarWriter().write(rootfs.getParent(), w.stream(),
          LayerTarOptions.of(LayerCompression.GZIP));
      w.commit(Optional.of(layer.digest()));
    }
    Platform host = Platform.host();
    byte[] config = ImageJson.write(new ImageConfig(Optional.empty(), Optional.empty(),
        host.architecture(), host.os(), Optional.empty(), Optional.empty(),
        ContainerConfig.EMPTY, List.of(layer.diffId()), List.of()));
    Digest configDigest = store.putBlob(config);
    byte[] manifest = ImageJson.write(new ImageManifest(MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, config.length),
        List.of(layer.descriptor(ImageFormat.OCI))));
    bigManifest = Descriptor.of(MediaTypes.OCI_MANIFEST, store.putBlob(manifest),
        manifest.length);
    store.tag(big, bigManifest);
    new ZlayerJar(fixtureHome).run("push", big.toString()).ok();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void killDuringPullLeavesASoundStoreAndThePullCompletesLater() throws Exception {
    ZlayerJar zlayer = new ZlayerJar(dir.resolve("home"));
    zlayer.run("pull", registry.host() + "/test/big:1", "--progress", "quiet");
    zlayer.run("rmi", big.toString()).ok();
    zlayer.run("prune", "-f").ok();
    Process p = zlayer.command("pull", "--progress", "rawjson", big.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    waitForTransferBytes(p.getErrorStream(), 4 << 20);
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertStoreSound(dir.resolve("home/store"));
    zlayer.run("images").ok();
    zlayer.run("pull", big.toString()).ok();
    assertTrue(zlayer.run("inspect", big.toString()).ok().out()
        .contains(bigManifest.digest().toString()));
    assertStoreSound(dir.resolve("home/store"));
  }

  @Test
  void killDuringPushLeavesASoundStoreAndThePushCompletesLater() throws Exception {
    ZlayerJar zlayer = new ZlayerJar(fixtureHome);
    String dest = registry.host() + "/killed/push:1";
    Process p = zlayer.command("push", "--progress", "rawjson", big.toString(), dest)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    waitForTransferBytes(p.getErrorStream(), 4 << 20);
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertStoreSound(fixtureHome.resolve("store"));
    Path digestFile = dir.resolve("digest");
    zlayer.run("push", "--digestfile", digestFile.toString(), big.toString(), dest).ok();
    assertEquals(bigManifest.digest().toString(), Files.readString(digestFile).trim());
  }

  /** Reads rawjson progress until a transfer reports at least {@code bytes}. */
  private static void waitForTransferBytes(InputStream stderr, long bytes) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(stderr,
        StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String line;
    while ((line = reader.readLine()) != null && System.nanoTime() < deadline) {
      int at = line.indexOf("\"bytes\":");
      if (line.contains("transfer.progress") && at >= 0) {
        String digits = line.substring(at + 8).replaceAll("[^0-9].*", "");
        if (!digits.isEmpty() && Long.parseLong(digits) >= bytes) {
          return;
        }
      }
    }
    throw new AssertionError("the transfer never reported " + bytes + " bytes");
  }

  /** index.json parses and every blob file's content matches its name. */
  private static void assertStoreSound(Path root) throws Exception {
    String index = Files.readString(root.resolve("index.json"));
    ImageJson.parseManifest(index.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
    try (Stream<Path> blobs = Files.list(root.resolve("blobs/sha256"))) {
      for (Path blob : blobs.toList()) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(blob)) {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
          }
        }
        assertEquals(blob.getFileName().toString(), HexFormat.of().formatHex(sha.digest()),
            "blob file content does not match its name: " + blob);
      }
    }
  }
}
