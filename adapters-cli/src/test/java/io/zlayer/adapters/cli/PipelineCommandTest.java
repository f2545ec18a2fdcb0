package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.zlayer.application.service.ResolveBuildSourceService;
import io.zlayer.application.service.RunPipelineService;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.ManageManifestLists;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.BuildPlanRequest;
import io.zlayer.domain.build.BuildPlanner;
import io.zlayer.domain.build.StageBase;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zlayer pipeline} over the real RunPipeline, with builds planned but not run. */
class PipelineCommandTest {
  private static final String EXAMPLE = "../examples/pipeline/ZPipeline.yaml";

  private final CliHarness h = new CliHarness();
  private final BuildImage build = mock(BuildImage.class);
  private final ManageManifestLists manifests = mock(ManageManifestLists.class);
  private final List<BuildImage.Command> builds = Collections.synchronizedList(
      new ArrayList<>());
  /** For each build, the base image its target stage starts from. */
  private final List<String> bases = Collections.synchronizedList(new ArrayList<>());

  @TempDir
  Path dir;

  @BeforeEach
  void useCases() throws Exception {
    when(h.useCases.resolveBuildSource()).thenReturn(new ResolveBuildSourceService());
    when(h.useCases.runPipeline()).thenReturn(new RunPipelineService(build, h.push, manifests));
    when(build.build(any())).thenAnswer(inv -> {
      BuildImage.Command c = inv.getArgument(0);
      builds.add(c);
      Platform host = Platform.of("linux", "amd64");
      BuildPlan plan = BuildPlanner.plan(new BuildPlanRequest(c.dockerfileText(),
          c.dockerfile().getFileName().toString(), c.buildArgs(), c.target(), host, host));
      StageBase base = plan.stages().get(plan.stages().size() - 1).base();
      bases.add(base instanceof StageBase.Image i ? i.reference().familiarString() : "scratch");
      Digest d = Digest.sha256(c.dockerfileText().getBytes(StandardCharsets.UTF_8));
      return new BuildImage.Result(d, d, c.tags(), 1, Duration.ofSeconds(1), 1, 0, "sandbox",
          Map.of());
    });
  }

  @Test
  void dryRunShowsTheWaves() {
    CliHarness.Result r = h.run("pipeline", "-f", EXAMPLE, "--dry-run");
    assertEquals(0, r.code(), r.err());
    assertEquals("wave 1:\n"
        + "  base  ZImagefile ../examples/pipeline/base/ZImagefile  -> zlayer-example/base:dev\n"
        + "wave 2:\n"
        + "  app  Dockerfile ../examples/pipeline/app/Dockerfile  -> zlayer-example/app:dev, "
        + "zlayer-example/app:latest\n", r.out());
  }

  @Test
  void buildsTheExampleBaseFirstThenTheAppOnIt() throws Exception {
    CliHarness.Result r = h.run("pipeline", "-f", EXAMPLE, "--progress", "quiet",
        "--set", "VERSION=1.0");
    assertEquals(0, r.code(), r.err());
    assertEquals(2, builds.size());
    BuildImage.Command base = builds.get(0);
    assertEquals(List.of(ImageReference.parse("zlayer-example/base:1.0")), base.tags());
    assertTrue(base.dockerfileText().contains("COPY --chmod=644 motd.txt /etc/motd\n"),
        base.dockerfileText());
    assertEquals(Map.of("GREETING", "Hello from a zlayer pipeline"), base.buildArgs());
    assertEquals(Path.of("../examples/pipeline/base").toAbsolutePath().normalize(),
        base.contextDir());
    BuildImage.Command app = builds.get(1);
    assertEquals(Map.of("BASE", "zlayer-example/base:1.0"), app.buildArgs());
    assertEquals(List.of("scratch", "zlayer-example/base:1.0"), bases);
    List<String> out = r.out().lines().toList();
    assertTrue(out.get(0).startsWith("IMAGE"), r.out());
    assertTrue(out.get(1).matches("base +built +[0-9a-f]{12} +zlayer-example/base:1.0"),
        r.out());
    assertTrue(out.get(2).matches("app +built +[0-9a-f]{12} +zlayer-example/app:1.0, "
        + "zlayer-example/app:latest"), r.out());
    verify(h.push, never()).push(any());
  }

  @Test
  void pushAfterAllBuilt() throws Exception {
    Digest pushed = Digest.sha256(new byte[] {9});
    when(h.push.push(any())).thenReturn(pushed);
    CliHarness.Result r = h.run("pipeline", "-f", EXAMPLE, "--progress", "quiet", "--push");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("pushed zlayer-example/base:dev@" + pushed + "\n"), r.out());
    assertTrue(r.out().contains("pushed zlayer-example/app:latest@" + pushed + "\n"), r.out());
  }

  @Test
  void aFailedImageStopsThePipeline() throws Exception {
    org.mockito.Mockito.doThrow(new BuildException("ZImagefile.Dockerfile:9: COPY "
        + "failed: motd.txt: no such file")).when(build).build(any());
    CliHarness.Result r = h.run("pipeline", "-f", EXAMPLE, "--progress", "quiet");
    assertEquals(1, r.code());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("base +failed *")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("app +skipped *")), r.out());
    assertEquals("error: pipeline failed: image base: ZImagefile.Dockerfile:9: COPY failed: "
        + "motd.txt: no such file\n", r.err());
  }

  @Test
  void onlySomeImages() {
    CliHarness.Result r = h.run("pipeline", "-f", EXAMPLE, "--only", "app", "--dry-run");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("wave 1:\n  app  "), r.out());
    CliHarness.Result unknown = h.run("pipeline", "-f", EXAMPLE, "--only", "ap");
    assertEquals("error: no image \"ap\" in the pipeline\nhint: its images are: base, app\n",
        unknown.err());
  }

  @Test
  void pipelineFileErrors() throws Exception {
    Path p = dir.resolve("ZPipeline.yaml");
    Files.writeString(p, "images:\n  app:\n    file: Dockerfile\n    depends_on: [bse]\n");
    CliHarness.Result unknown = h.run("pipeline", "-f", p.toString());
    assertEquals("error: " + p + ":4: images.app.depends_on[0]: unknown image \"bse\" "
        + "(images: app)\n", unknown.err());
    Files.writeString(p, "images:\n  app:\n    file: Dockerfile\n   tags: []\n");
    CliHarness.Result syntax = h.run("pipeline", "-f", p.toString());
    assertEquals(1, syntax.code());
    assertTrue(syntax.err().startsWith("error: " + p + ":4: invalid YAML: "), syntax.err());
    Files.writeString(p, "images:\n  app:\n    file: missing/Dockerfile\n");
    CliHarness.Result missing = h.run("pipeline", "-f", p.toString());
    assertEquals("error: image app: build file missing/Dockerfile not found ("
        + dir.resolve("missing/Dockerfile") + ")\n", missing.err());
    CliHarness.Result none = h.run("pipeline");
    assertEquals("error: no pipeline file here (ZPipeline.yaml, ZPipeline.yml, "
        + "zlayer-pipeline.yaml, zlayer-pipeline.yml)\nhint: name one with -f FILE\n",
        none.err());
    verify(build, never()).build(any());
  }

  @Test
  void severalPlatformsAndAZImagefilesCacheMounts() throws Exception {
    Files.writeString(dir.resolve("ZImagefile"), "base: scratch\nsteps:\n"
        + "  - copy: ZImagefile\n    to: /z\n");
    Path p = dir.resolve("ZPipeline.yaml");
    Files.writeString(p, "images:\n  z:\n    file: ZImagefile\n    tags: [reg.example.com/z:1]\n"
        + "    cache_mounts:\n      - target: /cache\n");
    CliHarness.Result r = h.run("pipeline", "-f", p.toString(), "--progress", "quiet",
        "--platform", "linux/amd64,linux/arm64");
    assertEquals(0, r.code(), r.err());
    assertEquals(2, builds.size());
    assertEquals(Optional.of(Platform.of("linux", "arm64")), builds.get(1).platform());
    assertEquals(List.of(ImageReference.parse("reg.example.com/z:1-arm64")),
        builds.get(1).tags());
    verify(manifests).create(ImageReference.parse("reg.example.com/z:1"), true);
  }
}
