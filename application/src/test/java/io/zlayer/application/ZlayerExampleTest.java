package io.zlayer.application;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.service.BuildEngines;
import io.zlayer.application.testing.InMemoryImageStore;
import io.zlayer.application.testing.InMemoryRegistry;
import io.zlayer.application.testing.InMemoryRegistry.BlobPush;
import io.zlayer.application.testing.InMemoryRegistry.ManifestPush;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.ManageLocalImages.ImageSummary;
import io.zlayer.application.usecase.RunPipeline;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.pipeline.PipelineParser;
import io.zlayer.domain.pipeline.ZPipeline;
import io.zlayer.domain.zimage.YamlSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * zlayer embedded as a library with adapters of the host's own: an in-memory store and
 * registry and an engine that writes a tiny image. The part between the {@code library.md}
 * markers is the sample in docs/library.md, word for word ({@link LibraryDocsTest} checks).
 */
class ZlayerExampleTest {
  private static final String DOCKERFILE = """
      ARG GREETING=hi
      FROM scratch AS base
      ARG GREETING
      LABEL greeting=$GREETING

      FROM base AS release
      CMD ["/built.txt"]
      """;

  @TempDir
  Path dir;

  @Test
  void buildsTagsAndPushesThroughTheHostsAdapters() throws Exception {
    Path context = Files.createDirectories(dir.resolve("hello"));

    // library.md:begin
    InMemoryImageStore store = new InMemoryImageStore();
    InMemoryRegistry registry = new InMemoryRegistry();
    TinyImageEngine engine = new TinyImageEngine(store);
    Zlayer zlayer = new Zlayer(store, registry, new BuildEngines(List.of(engine)));

    List<BuildEvent> events = new CopyOnWriteArrayList<>();
    BuildImage.Result built = zlayer.build(context)
        .dockerfileText(DOCKERFILE)
        .tag("localhost:5000/demo/hello:1.0")
        .buildArg("GREETING", "hello")
        .target("base")
        .platform("linux/arm64")
        .noCache(true)
        .backend("tiny")
        .listener(events::add)
        .run();
    zlayer.tag("localhost:5000/demo/hello:1.0", "localhost:5000/demo/hello:latest");
    Digest pushed = zlayer.push("localhost:5000/demo/hello:latest", events::add);
    // library.md:end

    ImageReference tag = ImageReference.parse("localhost:5000/demo/hello:1.0");
    assertEquals("tiny", built.engine());
    assertEquals(List.of(tag), built.tags());

    BuildJob job = engine.jobs().get(0);
    assertEquals(1, engine.jobs().size());
    assertEquals("base", job.plan().target().displayName());
    assertEquals(Platform.parse("linux/arm64"), job.plan().targetPlatform());
    assertEquals(Optional.of("hello"), job.plan().args().value("GREETING"));
    assertTrue(job.options().noCache());
    assertEquals(List.of(tag), job.options().tags());
    assertEquals(context.toAbsolutePath(), job.contextDir());

    // the registry got exactly the image's manifest, config and layer, with their digests
    byte[] manifestBytes = store.readBlob(built.manifestDigest());
    ImageManifest manifest = (ImageManifest) ImageJson.parseManifest(manifestBytes,
        "application/vnd.oci.image.manifest.v1+json");
    assertEquals(built.manifestDigest(), pushed);
    List<ManifestPush> manifests = registry.manifestPushes();
    assertEquals(1, manifests.size());
    assertEquals("localhost:5000/demo/hello", manifests.get(0).repository());
    assertEquals(Optional.of("latest"), manifests.get(0).tag());
    assertEquals(pushed, manifests.get(0).digest());
    assertArrayEquals(manifestBytes, manifests.get(0).bytes());

    assertEquals(built.imageId(), manifest.config().digest());
    assertEquals(1, manifest.layers().size());
    Descriptor layer = manifest.layers().get(0);
    Set<BlobPush> expectedBlobs = Set.of(
        new BlobPush("localhost:5000/demo/hello", manifest.config().digest(),
            manifest.config().size()),
        new BlobPush("localhost:5000/demo/hello", layer.digest(), layer.size()));
    assertEquals(2, registry.blobPushes().size());
    assertEquals(expectedBlobs, Set.copyOf(registry.blobPushes()));
    byte[] pushedLayer = registry.blob("localhost:5000/demo/hello", layer.digest()).orElseThrow();
    assertEquals(layer.digest(), Digest.sha256(pushedLayer));
    byte[] tar = gunzip(pushedLayer);
    ImageConfig config = ImageJson.parseConfig(registry.blob("localhost:5000/demo/hello",
        manifest.config().digest()).orElseThrow());
    assertEquals(List.of(Digest.sha256(tar)), config.diffIds());
    assertEquals("linux/arm64", config.platform().toString());
    String file = new String(tar, 512, 64, StandardCharsets.UTF_8);
    assertTrue(file.startsWith("stage=base\nplatform=linux/arm64\ngreeting=hello\n"), file);

    // the listener heard the build step and every blob transfer of the push
    assertTrue(events.stream().anyMatch(e -> e instanceof BuildEvent.StepStarted s
        && s.text().equals("write /built.txt")), events.toString());
    assertTrue(events.stream().anyMatch(e -> e instanceof BuildEvent.StepFinished));
    Set<String> finished = events.stream()
        .filter(e -> e instanceof BuildEvent.TransferFinished f && !f.skipped())
        .map(e -> ((BuildEvent.TransferFinished) e).id()).collect(Collectors.toSet());
    assertEquals(Set.of(layer.digest().shortHex(), manifest.config().digest().shortHex()),
        finished);

    // both names point at the image; a second host pulls it back unchanged
    List<ImageSummary> images = zlayer.images();
    assertEquals(2, images.size());
    assertTrue(images.stream().allMatch(i -> i.manifestDigest().equals(pushed)));
    InMemoryImageStore otherStore = new InMemoryImageStore();
    Zlayer other = new Zlayer(otherStore, registry, new BuildEngines(List.of()));
    LocalImage pulled = other.pull("localhost:5000/demo/hello:latest", event -> {});
    assertEquals(pushed, pulled.manifestDescriptor().digest());
    assertEquals(config, pulled.config());
    assertArrayEquals(pushedLayer, otherStore.readBlob(layer.digest()));
    assertEquals(pushed, other.inspect("localhost:5000/demo/hello").manifestDescriptor()
        .digest());
  }

  @Test
  void runsAPipelineWaveByWave() throws Exception {
    for (String name : List.of("base", "app")) {
      Files.createDirectories(dir.resolve(name));
      Files.writeString(dir.resolve(name).resolve("Dockerfile"), "FROM scratch\nARG GREETING\n"
          + "LABEL name=" + name + "\n");
    }
    ZPipeline pipeline = PipelineParser.parse(map(
        "vars", map("V", "2.0"),
        "images", map(
            "app", map("file", "app/Dockerfile", "context", "app", "depends_on", List.of("base"),
                "tags", List.of("localhost:5000/app:${V}"),
                "build_args", map("GREETING", "from-app")),
            "base", map("file", "base/Dockerfile", "context", "base",
                "tags", List.of("localhost:5000/base:${V}")))),
        YamlSource.named("ZPipeline.yaml"), Map.of());
    InMemoryImageStore store = new InMemoryImageStore();
    InMemoryRegistry registry = new InMemoryRegistry();
    TinyImageEngine engine = new TinyImageEngine(store);
    Zlayer zlayer = new Zlayer(store, registry, new BuildEngines(List.of(engine)));
    List<BuildEvent> events = new CopyOnWriteArrayList<>();

    // no backend named: "auto" falls back to the host's own engine
    RunPipeline.Result result = zlayer.pipeline(pipeline, dir).push(true)
        .parallelism(1).listener(events::add).run();

    assertTrue(result.succeeded(), result.toString());
    assertEquals(List.of(List.of("base"), List.of("app")), result.waves());
    assertEquals(List.of(dir.resolve("base"), dir.resolve("app")),
        engine.jobs().stream().map(BuildJob::contextDir).toList());
    assertEquals(Optional.of("from-app"), engine.jobs().get(1).plan().args().value("GREETING"));
    assertEquals(Set.of("localhost:5000/base", "localhost:5000/app"), registry.manifestPushes()
        .stream().map(ManifestPush::repository).collect(Collectors.toSet()));
    assertTrue(store.resolve(ImageReference.parse("localhost:5000/app:2.0")).isPresent());
    assertTrue(events.contains(new BuildEvent.Message(BuildEvent.Level.INFO, "wave 2/2: app")),
        events.toString());
  }

  @Test
  void mistakesAreOneLineErrors() throws Exception {
    Path context = Files.createDirectories(dir.resolve("ctx"));
    InMemoryImageStore store = new InMemoryImageStore();
    Zlayer zlayer = new Zlayer(store, new InMemoryRegistry(),
        new BuildEngines(List.of(new TinyImageEngine(store))));

    UsageException noFile = assertThrows(UsageException.class,
        () -> zlayer.build(context).backend("tiny").run());
    assertEquals("Dockerfile not found: " + context.resolve("Dockerfile"), noFile.getMessage());

    UsageException badBackend = assertThrows(UsageException.class,
        () -> zlayer.build(context).dockerfileText("FROM scratch\n").backend("buildah").run());
    assertEquals("unknown backend \"buildah\"", badBackend.getMessage());

    StoreException noArchive = assertThrows(StoreException.class, () -> zlayer.build(context)
        .dockerfileText("FROM scratch\n").tag("x:1").backend("tiny")
        .output(new BuildImage.Output.OciArchive(dir.resolve("x.tar"))).run());
    assertTrue(noArchive.getMessage().startsWith("image archives are not available"),
        noArchive.getMessage());
    assertThrows(StoreException.class, () -> zlayer.save(List.of("x:1"), dir.resolve("y.tar"),
        ArchiveFormat.DOCKER));

    TinyImageEngine engine = new TinyImageEngine(store);
    Zlayer counted = new Zlayer(store, new InMemoryRegistry(), new BuildEngines(List.of(engine)));
    UsageException unnamed = assertThrows(UsageException.class, () -> counted.build(context)
        .dockerfileText("FROM scratch\n").backend("tiny")
        .output(new BuildImage.Output.Registry()).run());
    assertEquals("--push and --output need the image to have a name", unnamed.getMessage());
    assertTrue(engine.jobs().isEmpty(), "refused before building");

    Files.writeString(context.resolve("ZImagefile"), "base: scratch\n");
    ZPipeline pipeline = PipelineParser.parse(map("images", map("z", map("file",
        "ctx/ZImagefile", "context", "ctx"))), YamlSource.named("ZPipeline.yaml"), Map.of());
    UsageException zimage = assertThrows(UsageException.class,
        () -> zlayer.pipeline(pipeline, dir).backend("tiny").run());
    assertEquals("image z: ctx/ZImagefile is a ZImagefile, which needs a YAML reader",
        zimage.getMessage());
    assertFalse(zimage.hint().isEmpty());
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
