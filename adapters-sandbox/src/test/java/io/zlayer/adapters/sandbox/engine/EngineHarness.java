package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.SandboxHost;
import io.zlayer.adapters.sandbox.run.StepSandbox;
import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.BuildPlanRequest;
import io.zlayer.domain.build.BuildPlanner;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * One engine with its own store, engine root and build context, driven the way
 * BuildImageService drives an engine: plan the Dockerfile, then {@code engine.build(job)}.
 */
final class EngineHarness {
  final Path dir;
  final OciLayoutStore store;
  final SandboxEngineSettings settings;
  final PlainFileCopier copier = new PlainFileCopier();
  final SandboxBuildEngine engine;
  final Path context;
  final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  EngineHarness(Path dir) throws Exception {
    this(dir, dir.resolve("sandbox"));
  }

  EngineHarness(Path dir, Path engineRoot) throws Exception {
    this(dir, engineRoot, SandboxHost::stepSandbox);
  }

  /** With {@code sandboxes} choosing the RUN sandbox (say, the flat-rootfs fallback). */
  EngineHarness(Path dir, Path engineRoot, Function<SandboxHost, StepSandbox> sandboxes)
      throws Exception {
    this.dir = dir;
    this.store = new OciLayoutStore(dir.resolve("store"));
    this.settings = new SandboxEngineSettings(engineRoot);
    this.engine = new SandboxBuildEngine(settings, store, copier,
        ForeignPlatforms.BINFMT_MISC, sandboxes);
    this.context = Files.createDirectories(dir.resolve("context"));
    BusyboxBase.store(store, Files.createDirectories(dir.resolve("work")));
  }

  /** A build request with options; defaults as the CLI gives them. */
  final class Build {
    private final String dockerfile;
    private final Map<String, String> args = new LinkedHashMap<>();
    private Optional<String> target = Optional.empty();
    private Platform platform = Platform.host();
    private BuildOptions options = BuildOptions.defaults();

    Build(String dockerfile) {
      this.dockerfile = dockerfile;
    }

    Build arg(String name, String value) {
      args.put(name, value);
      return this;
    }

    Build target(String stage) {
      target = Optional.of(stage);
      return this;
    }

    Build platform(Platform p) {
      platform = p;
      return this;
    }

    Build options(BuildOptions o) {
      options = o;
      return this;
    }

    BuildPlan plan() throws Exception {
      return BuildPlanner.plan(new BuildPlanRequest(dockerfile, "Dockerfile", args, target,
          Platform.host(), platform.normalized()));
    }

    BuiltImage run() throws Exception {
      events.clear();
      Path file = context.resolve("Dockerfile");
      Files.writeString(file, dockerfile);
      return engine.build(new BuildJob(plan(), context, file, options, events::add));
    }
  }

  Build build(String dockerfile) {
    return new Build(dockerfile);
  }

  BuiltImage run(String dockerfile) throws Exception {
    return build(dockerfile).run();
  }

  ImageManifest manifest(BuiltImage image) throws Exception {
    return (ImageManifest) ImageJson.parseManifest(store.readBlob(image.manifest().digest()),
        image.manifest().mediaType());
  }

  ImageConfig config(BuiltImage image) throws Exception {
    return ImageJson.parseConfig(store.readBlob(image.configDigest()));
  }

  /** The entries of the image's top layer: name to content ("" for non-files), in order. */
  Map<String, String> topLayer(BuiltImage image) throws Exception {
    List<Descriptor> layers = manifest(image).layers();
    return layer(layers.get(layers.size() - 1));
  }

  Map<String, String> layer(Descriptor layer) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<TarArchiveEntry, byte[]> e : entries(layer).entrySet()) {
      out.put(e.getKey().getName(), new String(e.getValue(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The tar entries of a layer blob with their contents. */
  Map<TarArchiveEntry, byte[]> entries(Descriptor layer) throws Exception {
    Map<TarArchiveEntry, byte[]> out = new LinkedHashMap<>();
    try (InputStream blob = store.blob(layer.digest()).open();
        InputStream plain = MediaTypes.layerCompression(layer.mediaType())
            == io.zlayer.domain.image.LayerCompression.NONE ? blob
            : new CompressorStreamFactory().createCompressorInputStream(
                new java.io.BufferedInputStream(blob));
        TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        tar.transferTo(content);
        out.put(entry, content.toByteArray());
      }
    }
    return out;
  }

  /** Every byte of every layer of the image, as text (for "never in a layer" checks). */
  String allLayerText(BuiltImage image) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (Descriptor d : manifest(image).layers()) {
      for (Map.Entry<TarArchiveEntry, byte[]> e : entries(d).entrySet()) {
        sb.append(e.getKey().getName()).append('\n')
            .append(new String(e.getValue(), StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return sb.toString();
  }

  List<String> output() {
    synchronized (events) {
      return events.stream().filter(e -> e instanceof BuildEvent.StepOutput)
          .map(e -> ((BuildEvent.StepOutput) e).line()).toList();
    }
  }

  <T extends BuildEvent> List<T> events(Class<T> type) {
    synchronized (events) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /** The instructions of the steps that ran (started and not taken from the cache). */
  List<String> started() {
    java.util.Set<String> cached = events(BuildEvent.StepCached.class).stream()
        .map(e -> e.step().id()).collect(Collectors.toSet());
    return events(BuildEvent.StepStarted.class).stream()
        .filter(e -> !cached.contains(e.step().id())).map(BuildEvent.StepStarted::text)
        .toList();
  }

  /** The instructions of the steps taken from the cache, as announced before they were. */
  List<String> cachedTexts() {
    List<BuildEvent> all;
    synchronized (events) {
      all = List.copyOf(events);
    }
    List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) instanceof BuildEvent.StepCached c) {
        String text = "(not announced)";
        for (int j = i - 1; j >= 0; j--) {
          if (all.get(j) instanceof BuildEvent.StepStarted s && s.step().equals(c.step())) {
            text = s.text();
            break;
          }
        }
        texts.add(text);
      }
    }
    return texts;
  }

  String eventText() {
    synchronized (events) {
      return events.stream().map(Object::toString).collect(Collectors.joining("\n"));
    }
  }

  /** The build scratch directories left under the engine's tmp (should be none). */
  List<String> scratchLeft() throws IOException {
    Path tmp = settings.scratchDir();
    if (!Files.isDirectory(tmp)) {
      return List.of();
    }
    try (var stream = Files.list(tmp)) {
      return stream.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
