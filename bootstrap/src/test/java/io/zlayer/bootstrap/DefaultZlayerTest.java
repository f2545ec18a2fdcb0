package io.zlayer.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.Zlayer;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.testing.RealParts;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.ManageLocalImages.ImageSummary;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-line factory gives an embedding host the real adapters, as the CLI has them. */
class DefaultZlayerTest {
  @TempDir
  Path home;

  @Test
  void buildsTheHelloExampleIntoTheStoreUnderZlayerHome() throws Exception {
    RealParts.require("bwrap");
    Path zlayerHome = home.resolve("zlayer");
    Map<String, String> env = Map.of("ZLAYER_HOME", zlayerHome.toString(),
        "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    Path hello = Path.of("..", "examples", "hello").toAbsolutePath().normalize();

    Zlayer zlayer = DefaultZlayer.create(env, home);
    List<BuildEvent> events = new CopyOnWriteArrayList<>();
    BuildImage.Result built = zlayer.build(hello).tag("hello:library").backend("sandbox")
        .listener(events::add).run();

    assertEquals("sandbox", built.engine());
    assertEquals("oci:" + zlayerHome.resolve("store"), zlayer.storeLocation());
    assertTrue(events.stream().anyMatch(e -> e instanceof BuildEvent.StepStarted s
        && s.text().startsWith("COPY hello.txt")), events.toString());

    // a second instance reads what the first wrote to disk
    Zlayer again = DefaultZlayer.create(env, home);
    LocalImage image = again.inspect("hello:library");
    assertEquals(built.manifestDigest(), image.manifestDescriptor().digest());
    assertEquals(built.imageId().toString(), image.imageId());
    assertEquals("hello", image.config().config().labels()
        .get("org.opencontainers.image.title"));
    assertTrue(image.config().config().env().contains("GREETING=Hello from zlayer"),
        image.config().config().env().toString());
    assertEquals(Optional.of(List.of("/hello.txt")), image.config().config().cmd());
    assertEquals(1, image.manifest().layers().size());
    for (Descriptor blob : List.of(image.manifest().config(), image.manifest().layers().get(0))) {
      assertTrue(Files.isRegularFile(zlayerHome.resolve("store").resolve("blobs")
          .resolve(blob.digest().algorithm()).resolve(blob.digest().hex())), blob.toString());
    }
    List<ImageSummary> images = again.images();
    assertEquals(1, images.size());
    assertEquals(Optional.of(ImageReference.parse("hello:library")), images.get(0).name());
  }
}
