package io.zlayer.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.ManageManifestLists;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.application.usecase.RunPipeline;
import io.zlayer.application.usecase.RunPipeline.ImageOutcome;
import io.zlayer.application.usecase.RunPipeline.Status;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.pipeline.PipelineParser;
import io.zlayer.domain.pipeline.ZPipeline;
import io.zlayer.domain.zimage.YamlSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class RunPipelineServiceTest {
  private final BuildImage build = mock(BuildImage.class);
  private final PushImage push = mock(PushImage.class);
  private final ManageManifestLists manifests = mock(ManageManifestLists.class);
  private final RunPipelineService service = new RunPipelineService(build, push, manifests);
  private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static List<Object> list(Object... items) {
    return List.of(items);
  }

  private static ZPipeline pipeline(Object tree) throws Exception {
    return PipelineParser.parse(tree, YamlSource.named("ZPipeline.yaml"), Map.of());
  }

  private RunPipeline.Command command(ZPipeline p, boolean push, int parallelism) {
    Map<String, RunPipeline.ImageSource> sources = new HashMap<>();
    p.images().forEach(i -> sources.put(i.name(), new RunPipeline.ImageSource(
        Path.of("/ctx", i.name()), Path.of("/ctx", i.name(), "Dockerfile"),
        "FROM scratch\n", "Dockerfile")));
    return new RunPipeline.Command(p, sources, BuildOptions.defaults(), "sandbox",
        BuildImage.PullPolicy.MISSING, push, parallelism, events::add);
  }

  private static BuildImage.Result result(String seed, List<ImageReference> tags) {
    Digest d = Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    return new BuildImage.Result(d, d, tags, 10, Duration.ofSeconds(1), 1, 0, "sandbox",
        Map.of());
  }

  /** A BuildImage that succeeds, remembering the order of the images it built. */
  private List<String> succeedInOrder() throws Exception {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    when(build.build(any())).thenAnswer(inv -> {
      BuildImage.Command c = inv.getArgument(0);
      order.add(c.contextDir().getFileName().toString());
      return result(c.contextDir().toString(), c.tags());
    });
    return order;
  }

  @Test
  void buildsWaveByWaveWithOneCommandPerImage() throws Exception {
    List<String> order = succeedInOrder();
    ZPipeline p = pipeline(map(
        "vars", map("V", "1.0"),
        "defaults", map("build_args", map("A", "default", "B", "b")),
        "images", map(
            "app", map("file", "Dockerfile", "depends_on", list("base", "lib"),
                "tags", list("example/app:${V}"), "build_args", map("A", "app"),
                "format", "docker", "no_cache", true),
            "lib", map("file", "Dockerfile", "depends_on", list("base")),
            "base", map("file", "Dockerfile", "tags", list("example/base:${V}")))));
    RunPipeline.Result r = service.run(command(p, false, 2));
    assertEquals(List.of("base", "lib", "app"), order);
    assertEquals(List.of(List.of("base"), List.of("lib"), List.of("app")), r.waves());
    assertTrue(r.succeeded());
    assertEquals(List.of("base", "lib", "app"), r.images().stream().map(ImageOutcome::name)
        .toList());

    ArgumentCaptor<BuildImage.Command> captor = ArgumentCaptor.forClass(BuildImage.Command.class);
    verify(build, times(3)).build(captor.capture());
    BuildImage.Command app = captor.getAllValues().get(2);
    assertEquals(Path.of("/ctx/app"), app.contextDir());
    assertEquals("FROM scratch\n", app.dockerfileText());
    assertEquals(Map.of("A", "app", "B", "b"), app.buildArgs());
    assertEquals(List.of(ImageReference.parse("example/app:1.0")), app.tags());
    assertEquals(ImageFormat.DOCKER, app.options().format());
    assertTrue(app.options().noCache());
    assertEquals(List.of(), app.outputs());
    BuildImage.Command base = captor.getAllValues().get(0);
    assertEquals(ImageFormat.OCI, base.options().format());
    assertFalse(base.options().noCache());
    assertTrue(events.contains(new BuildEvent.Message(BuildEvent.Level.INFO,
        "wave 1/3: base")), events.toString());
    verify(push, never()).push(any());
  }

  @Test
  void parallelismIsBounded() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch twoRunning = new CountDownLatch(2);
    when(build.build(any())).thenAnswer(inv -> {
      int now = running.incrementAndGet();
      most.accumulateAndGet(now, Math::max);
      twoRunning.countDown();
      // the first two wait for each other: the pool must run two at once, and never three
      assertTrue(twoRunning.await(10, TimeUnit.SECONDS));
      Thread.sleep(20);
      running.decrementAndGet();
      BuildImage.Command c = inv.getArgument(0);
      return result(c.contextDir().toString(), c.tags());
    });
    ZPipeline p = pipeline(map("images", map("a", map("file", "f"), "b", map("file", "f"),
        "c", map("file", "f"), "d", map("file", "f"), "e", map("file", "f"))));
    RunPipeline.Result r = service.run(command(p, false, 2));
    assertTrue(r.succeeded());
    assertEquals(2, most.get());
    verify(build, times(5)).build(any());
  }

  @Test
  void aFailureStopsLaterWaves() throws Exception {
    when(build.build(any())).thenAnswer(inv -> {
      BuildImage.Command c = inv.getArgument(0);
      if (c.contextDir().endsWith("lib")) {
        throw new BuildException("Dockerfile:3: RUN make: exit status 2");
      }
      return result(c.contextDir().toString(), c.tags());
    });
    ZPipeline p = pipeline(map("images", map(
        "lib", map("file", "f"),
        "tools", map("file", "f"),
        "app", map("file", "f", "depends_on", list("lib")),
        "docs", map("file", "f", "depends_on", list("tools")))));
    RunPipeline.Result r = service.run(command(p, true, 1));
    assertFalse(r.succeeded());
    Map<String, Status> status = new HashMap<>();
    r.images().forEach(i -> status.put(i.name(), i.status()));
    // parallelism 1: lib fails first, so tools (same wave, not yet started) is skipped too
    assertEquals(Map.of("lib", Status.FAILED, "tools", Status.SKIPPED, "app", Status.SKIPPED,
        "docs", Status.SKIPPED), status);
    ImageOutcome failure = r.firstFailure().orElseThrow();
    assertEquals("lib", failure.name());
    assertEquals(Optional.of("Dockerfile:3: RUN make: exit status 2"), failure.error());
    verify(build, times(1)).build(any());
    verify(push, never()).push(any());
  }

  @Test
  void imagesOfTheFailingWaveThatRanStillReportBuilt() throws Exception {
    CountDownLatch bothStarted = new CountDownLatch(2);
    when(build.build(any())).thenAnswer(inv -> {
      BuildImage.Command c = inv.getArgument(0);
      bothStarted.countDown();
      assertTrue(bothStarted.await(10, TimeUnit.SECONDS));
      if (c.contextDir().endsWith("bad")) {
        throw new BuildException("broken");
      }
      return result(c.contextDir().toString(), c.tags());
    });
    ZPipeline p = pipeline(map("images", map("bad", map("file", "f"), "good", map("file", "f"),
        "later", map("file", "f", "depends_on", list("good")))));
    RunPipeline.Result r = service.run(command(p, false, 2));
    assertEquals(List.of(Status.FAILED, Status.BUILT, Status.SKIPPED), r.images().stream()
        .map(ImageOutcome::status).toList());
  }

  @Test
  void pushesEveryTagOnceAllAreBuilt() throws Exception {
    List<String> order = new ArrayList<>();
    when(build.build(any())).thenAnswer(inv -> {
      BuildImage.Command c = inv.getArgument(0);
      order.add("build " + c.contextDir().getFileName());
      return result(c.contextDir().toString(), c.tags());
    });
    Digest pushedDigest = Digest.sha256(new byte[] {1});
    when(push.push(any())).thenAnswer(inv -> {
      PushImage.Command c = inv.getArgument(0);
      order.add("push " + c.source());
      if (c.source().contains("broken")) {
        throw new RegistryException(RegistryException.Kind.DENIED, "denied: broken");
      }
      return pushedDigest;
    });
    ZPipeline p = pipeline(map("images", map(
        "base", map("file", "f", "tags", list("reg.example.com/base:1",
            "reg.example.com/base:latest")),
        "app", map("file", "f", "depends_on", "base", "tags", list("reg.example.com/broken:1")),
        "untagged", map("file", "f"))));
    RunPipeline.Result r = service.run(command(p, true, 1));
    assertEquals(List.of("build base", "build untagged", "build app",
        "push reg.example.com/base:1", "push reg.example.com/base:latest",
        "push reg.example.com/broken:1"), order);
    ImageOutcome base = r.images().get(0);
    assertEquals(Map.of(ImageReference.parse("reg.example.com/base:1"), pushedDigest,
        ImageReference.parse("reg.example.com/base:latest"), pushedDigest), base.pushed());
    ImageOutcome app = r.images().stream().filter(i -> i.name().equals("app")).findFirst()
        .orElseThrow();
    assertEquals(Status.BUILT, app.status());
    assertEquals(Optional.of("push of reg.example.com/broken:1 failed: denied: broken"),
        app.error());
    assertFalse(r.succeeded());
    assertEquals("app", r.firstFailure().orElseThrow().name());
  }

  @Test
  void severalPlatformsMakeAManifestList() throws Exception {
    List<BuildImage.Command> commands = Collections.synchronizedList(new ArrayList<>());
    when(build.build(any())).thenAnswer(inv -> {
      BuildImage.Command c = inv.getArgument(0);
      commands.add(c);
      return result(c.tags().toString(), c.tags());
    });
    Digest listDigest = Digest.sha256(new byte[] {2});
    when(manifests.push(any(), any(), any(), any())).thenReturn(listDigest);
    ZPipeline p = pipeline(map("defaults", map("platforms", list("linux/amd64",
        "linux/arm/v7")), "images", map("app", map("file", "f", "tags",
            list("reg.example.com/app:1")))));
    RunPipeline.Result r = service.run(command(p, true, 2));
    assertTrue(r.succeeded());
    assertEquals(2, commands.size());
    assertEquals(Optional.of(Platform.of("linux", "amd64")), commands.get(0).platform());
    assertEquals(List.of(ImageReference.parse("reg.example.com/app:1-amd64")),
        commands.get(0).tags());
    assertEquals(List.of(ImageReference.parse("reg.example.com/app:1-arm-v7")),
        commands.get(1).tags());
    ImageReference list = ImageReference.parse("reg.example.com/app:1");
    verify(manifests).create(list, true);
    verify(manifests).add(list, "reg.example.com/app:1-amd64",
        Optional.of(Platform.of("linux", "amd64")));
    verify(manifests).add(eq(list), eq("reg.example.com/app:1-arm-v7"), any());
    verify(manifests).push(eq(list), eq(list), any(RegistryOptions.class), any());
    verify(push, never()).push(any());
    assertEquals(Map.of(list, listDigest), r.images().get(0).pushed());
  }

  @Test
  void severalPlatformsNeedATag() throws Exception {
    ZPipeline p = pipeline(map("images", map("app", map("file", "f", "platforms",
        list("linux/amd64", "linux/arm64")))));
    UsageException e = assertThrows(UsageException.class,
        () -> service.run(command(p, false, 1)));
    assertEquals("image app is built for several platforms but has no tags", e.getMessage());
    verify(build, never()).build(any());
  }

  @Test
  void eventsOfParallelBuildsAreToldApart() throws Exception {
    when(build.build(any())).thenAnswer(inv -> {
      BuildImage.Command c = inv.getArgument(0);
      c.events().accept(new BuildEvent.StepStarted(new io.zlayer.application.event.StepRef(
          "build", 0, 1, 1, 1, 2), "RUN make"));
      return result(c.contextDir().toString(), c.tags());
    });
    ZPipeline p = pipeline(map("images", map("a", map("file", "f"), "b", map("file", "f"))));
    service.run(command(p, false, 1));
    List<String> labels = new ArrayList<>();
    List<Integer> stageIndexes = new ArrayList<>();
    for (BuildEvent e : events) {
      if (e instanceof BuildEvent.StepStarted s) {
        labels.add(s.step().label());
        stageIndexes.add(s.step().stageIndex());
      }
    }
    assertEquals(List.of("[a/build 1/1]", "[b/build 1/1]"), labels);
    assertEquals(List.of(0, 1), stageIndexes);
  }
}
