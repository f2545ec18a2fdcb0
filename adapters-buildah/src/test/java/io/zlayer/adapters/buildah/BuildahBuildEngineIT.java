package io.zlayer.adapters.buildah;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.buildah.BuildahTestBed.Outcome;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.SecretSource;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.MediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BuildahBuildEngineIT {
  private static BuildahTestBed bed;

  @BeforeAll
  static void setUp() throws Exception {
    RealParts.require("buildah");
    RealParts.requireRoot();
    bed = new BuildahTestBed(Path.of("target", "buildah-it").toAbsolutePath());
  }

  private static BuildOptions tagged(String name) throws Exception {
    return BuildOptions.defaults().withTags(List.of(ImageReference.parse(name)));
  }

  /** The stored image: manifest and config parsed, every blob present. */
  private static ImageConfig stored(Outcome o) throws Exception {
    Descriptor d = o.image().manifest();
    ImageManifest m = (ImageManifest) ImageJson.parseManifest(
        bed.store.readBlob(d.digest()), d.mediaType());
    for (Descriptor layer : m.layers()) {
      assertTrue(bed.store.hasBlob(layer.digest()), "layer " + layer.digest() + " is stored");
    }
    ImageConfig config = ImageJson.parseConfig(bed.store.readBlob(m.config().digest()));
    assertEquals(m.layers().size(), config.diffIds().size());
    assertEquals(config.diffIds().size(),
        config.history().stream().filter(h -> !h.emptyLayer()).count());
    return config;
  }

  private static List<String> historyText(ImageConfig c) {
    List<String> out = new ArrayList<>();
    for (HistoryEntry h : c.history()) {
      out.add(h.createdBy().orElse("") + "|" + h.comment().orElse("") + "|" + h.emptyLayer());
    }
    return out;
  }

  private static void assertSameConfigAsEvaluator(Outcome o, ImageConfig stored)
      throws Exception {
    ImageConfig expected = ReferenceEvaluation.targetImage(o.plan(), bed.store);
    assertEquals(expected.config(), stored.config());
    assertEquals(expected.author(), stored.author());
    assertEquals(expected.platform(), stored.platform());
    List<String> want = historyText(expected);
    List<String> got = historyText(stored);
    // only layers found empty may differ (BuildKit's exporter drops empty layers too)
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      if (!want.get(i).equals(got.get(i))) {
        assertEquals(want.get(i).replace("|false", "|true"), got.get(i));
      }
    }
  }

  @Test
  void runGetsTheExactEnvironmentUserAndWorkdirAndTheConfigIsTheEvaluators() throws Exception {
    String dockerfile = String.join("\n",
        "FROM busybox",
        "ARG A=1",
        "ENV B=two C=$A D='$literal'",
        "USER app",
        "WORKDIR /home/app/w",
        "RUN env | sort && id && pwd",
        "USER root",
        "LABEL org.example.x=y",
        "EXPOSE 8080/tcp",
        "VOLUME /data",
        "STOPSIGNAL SIGINT",
        "HEALTHCHECK --interval=5s CMD test -f /tmp/ok && true",
        "SHELL [\"/bin/sh\", \"-ec\"]",
        "ONBUILD RUN echo child",
        "ENTRYPOINT [\"/bin/echo\"]",
        "CMD [\"hello world\"]",
        "");
    Outcome o = bed.build(dockerfile, bed.context(Map.of()), tagged("localhost/zl/env:1"));
    List<String> out = o.output();
    int start = out.indexOf("A=1");
    List<String> env = new ArrayList<>();
    for (String line : out.subList(start, out.size())) {
      if (line.startsWith("uid=")) {
        break;
      }
      env.add(line);
    }
    assertEquals(List.of("A=1", "B=two", "C=1", "D=$literal", "HOME=/home/app",
        "HOSTNAME=buildkitsandbox",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "PWD=/home/app/w", "SHLVL=1"), env);
    assertTrue(out.contains("uid=1000(app) gid=1000(app) groups=1000(app)"), out.toString());
    assertTrue(out.contains("/home/app/w"), out.toString());

    ImageConfig config = stored(o);
    assertSameConfigAsEvaluator(o, config);
    assertTrue(config.config().healthcheck().isPresent());
    assertEquals(List.of("RUN echo child"), config.config().onBuild());
    // the same image in buildah's storage, under the build's tag
    String id = bed.buildah("images", "--quiet", "--no-trunc", "localhost/zl/env:1").strip();
    assertEquals(o.image().configDigest().toString(), id);
    SortedMap<String, String> files = bed.flattenStored(o.image().manifest());
    assertEquals("40755 1000:1000 dir", files.get("/home/app/w"));
    // buildah's mount points were removed again, as BuildKit does
    assertFalse(files.containsKey("/etc/hosts"), files.keySet().toString());
    assertFalse(files.containsKey("/etc/hostname"), files.keySet().toString());
    assertFalse(files.containsKey("/run"), files.keySet().toString());
    assertFalse(files.containsKey("/proc"), files.keySet().toString());
    // no working containers or intermediate images are left
    assertEquals("", bed.buildah("containers", "--quiet").strip());
  }

  @Test
  void copyFromTheContextHonoursDockerignoreChownAndChmod() throws Exception {
    Path ctx = bed.context(Map.of("a.txt", "a\n", "b.log", "b\n", "dir/c.txt", "c\n",
        "dir/d.log", "d\n", ".dockerignore", "*.log\n**/*.log\n"));
    String dockerfile = String.join("\n",
        "FROM busybox",
        "COPY . /ctx/",
        "COPY --chown=app:app --chmod=0640 a.txt /owned.txt",
        "COPY ../../dir/c.txt /clamped.txt",
        "COPY <<EOF /heredoc.txt",
        "inline $HOSTNAME",
        "EOF",
        "WORKDIR /tmp",
        "");
    Outcome o = bed.build(dockerfile, ctx, tagged("localhost/zl/copy:1"));
    assertSameConfigAsEvaluator(o, stored(o));
    SortedMap<String, String> files = bed.flattenStored(o.image().manifest());
    assertEquals("100644 0:0 size=2", files.get("/ctx/a.txt"));
    assertEquals("100644 0:0 size=2", files.get("/ctx/dir/c.txt"));
    assertFalse(files.containsKey("/ctx/b.log"));
    assertFalse(files.containsKey("/ctx/dir/d.log"));
    assertEquals("100640 1000:1000 size=2", files.get("/owned.txt"));
    assertEquals("100644 0:0 size=2", files.get("/clamped.txt"));
    assertEquals("100644 0:0 size=8", files.get("/heredoc.txt"));
    // WORKDIR of an existing directory keeps it as it is
    assertEquals("41777 0:0 dir", files.get("/tmp"));
  }

  @Test
  void multiStageCopyFromAnEarlierStageAndOneLayerPerStep() throws Exception {
    String dockerfile = String.join("\n",
        "FROM busybox AS build",
        "RUN mkdir -p /out && echo built > /out/artifact",
        "RUN echo more > /out/second",
        "FROM scratch",
        "COPY --from=build /out/artifact /artifact",
        "COPY --from=build /bin/busybox /bin/sh",
        "");
    Outcome o = bed.build(dockerfile, bed.context(Map.of()), tagged("localhost/zl/multi:1"));
    ImageConfig config = stored(o);
    assertSameConfigAsEvaluator(o, config);
    assertEquals(2, config.diffIds().size());
    SortedMap<String, String> files = bed.flattenStored(o.image().manifest());
    assertEquals(List.of("/artifact", "/bin", "/bin/sh"), List.copyOf(files.keySet()));
    assertEquals("100644 0:0 size=6", files.get("/artifact"));
  }

  @Test
  void cacheMountsPersistAndSecretsNeverReachTheImage() throws Exception {
    Path secret = Files.createTempFile(bed.root, "secret", ".txt");
    Files.writeString(secret, "s3cr3t");
    BuildOptions options = tagged("localhost/zl/mounts:1");
    options = new BuildOptions(false, ImageFormat.OCI, options.compression(),
        List.of(new SecretSource.FromFile("tok", secret),
            new SecretSource.FromEnvironment("envtok", "ZL_TOKEN", "from-env")),
        Map.of(), Optional.empty(), Map.of(), Optional.empty(), options.registryOptions(),
        options.tags());
    String dockerfile = String.join("\n",
        "FROM busybox",
        "RUN --mount=type=cache,target=/var/cache/zl,id=zl-it-" + System.nanoTime()
            + " echo x >> /var/cache/zl/log && echo lines=$(wc -l < /var/cache/zl/log)",
        "RUN --mount=type=secret,id=tok cat /run/secrets/tok && echo",
        "RUN --mount=type=secret,id=envtok,env=TOKEN echo token=$TOKEN",
        "RUN --mount=type=bind,target=/src cat /src/in.txt",
        "RUN --mount=type=tmpfs,target=/scratch/space touch /scratch/space/f",
        "RUN <<EOF",
        "#!/bin/sh",
        "echo from-heredoc-script",
        "EOF",
        "");
    Path ctx = bed.context(Map.of("in.txt", "bound\n"));
    Outcome first = bed.build(dockerfile, ctx, options);
    assertTrue(first.output().contains("lines=1"), first.output().toString());
    assertTrue(first.output().contains("s3cr3t"), first.output().toString());
    assertTrue(first.output().contains("token=from-env"), first.output().toString());
    assertTrue(first.output().contains("bound"), first.output().toString());
    assertTrue(first.output().contains("from-heredoc-script"), first.output().toString());
    Outcome second = bed.build(dockerfile, ctx, options);
    assertTrue(second.output().contains("lines=2"), second.output().toString());
    SortedMap<String, String> files = bed.flattenStored(second.image().manifest());
    for (String absent : List.of("/run", "/var", "/src", "/scratch")) {
      assertFalse(files.containsKey(absent), absent + " in " + files.keySet());
    }
    assertSameConfigAsEvaluator(second, stored(second));
  }

  @Test
  void aFailingRunNamesTheLineAndLeavesNothingBehind() throws Exception {
    int imagesBefore = bed.buildah("images", "--all", "--quiet").strip().split("\n").length;
    String dockerfile = "FROM busybox\nRUN echo before > /f\nRUN echo oops >&2; false\n";
    BuildException e = assertThrows(BuildException.class,
        () -> bed.build(dockerfile, bed.context(Map.of()), BuildOptions.defaults()));
    assertEquals("Dockerfile:3: RUN echo oops >&2; false: exit code 1", e.getMessage());
    assertEquals(1, e.exitCode());
    assertEquals(List.of("oops"), e.lastOutput(), "the command's output, not buildah's report");
    assertEquals("", bed.buildah("containers", "--quiet").strip());
    assertEquals(imagesBefore,
        bed.buildah("images", "--all", "--quiet").strip().split("\n").length);
  }

  @Test
  void interruptionStopsTheRunningStepAndCleansUp() throws Exception {
    String dockerfile = "FROM busybox\nRUN echo started && sleep 300\n";
    BuildPlan plan = BuildahTestBed.plan(dockerfile, Map.of());
    Path ctx = bed.context(Map.of());
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        bed.engine.build(new BuildJob(plan, ctx, ctx.resolve("Dockerfile"),
            BuildOptions.defaults(), event -> {
              if (event instanceof BuildEvent.StepOutput out && out.line().equals("started")) {
                started.countDown();
              }
            }));
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    long began = System.nanoTime();
    t.start();
    assertTrue(started.await(120, TimeUnit.SECONDS));
    t.interrupt();
    t.join(TimeUnit.SECONDS.toMillis(120));
    assertFalse(t.isAlive());
    assertInstanceOf(InterruptedException.class, thrown.get());
    assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(200));
    assertEquals("", bed.buildah("containers", "--quiet").strip());
    // killed processes take a moment to leave the process table
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String ps = BuildahTestBed.exec(bed.root, "ps", "-eo", "stat,args");
    while (ps.contains("sleep 300") && System.nanoTime() < gone) {
      Thread.sleep(100);
      ps = BuildahTestBed.exec(bed.root, "ps", "-eo", "stat,args");
    }
    assertFalse(ps.contains("sleep 300"), ps);
  }

  @Test
  void dockerFormatTimestampAndLabels() throws Exception {
    Instant epoch = Instant.ofEpochSecond(1_700_000_000L);
    BuildOptions d = BuildOptions.defaults();
    BuildOptions options = new BuildOptions(false, ImageFormat.DOCKER, d.compression(),
        List.of(), Map.of(), Optional.of(epoch), Map.of("extra", "label"), Optional.empty(),
        d.registryOptions());
    Outcome o = bed.build("FROM busybox\nRUN echo x > /x\n", bed.context(Map.of()), options);
    assertEquals(MediaTypes.DOCKER_MANIFEST, o.image().manifest().mediaType());
    ImageManifest m = (ImageManifest) ImageJson.parseManifest(
        bed.store.readBlob(o.image().manifest().digest()), MediaTypes.DOCKER_MANIFEST);
    assertEquals(MediaTypes.DOCKER_CONFIG, m.config().mediaType());
    m.layers().forEach(l -> assertEquals(MediaTypes.DOCKER_LAYER_GZIP, l.mediaType()));
    ImageConfig c = stored(o);
    assertEquals(Optional.of(epoch), c.created());
    assertEquals(Optional.of(epoch), c.history().get(c.history().size() - 1).created());
    assertEquals("label", c.config().labels().get("extra"));
    // the same steps at the same timestamp give the same layer
    Outcome again = bed.build("FROM busybox\nRUN echo x > /x\n", bed.context(Map.of()),
        options);
    assertEquals(c.diffIds(), stored(again).diffIds());
  }

  @Test
  void stagesBuiltFromStagesBindMountsAndCopyFromAnImage() throws Exception {
    String dockerfile = String.join("\n",
        "FROM busybox AS a",
        "RUN echo a > /a",
        "FROM a AS b",
        "ENV X=1",
        "RUN echo b > /b",
        "FROM b",
        "RUN --mount=type=bind,from=a,source=/a,target=/mnt/a cat /mnt/a",
        "RUN --mount=type=bind,target=/ctx,rw touch /ctx/written && ls /ctx",
        "RUN --mount=type=bind,from=a,target=/rw,rw touch /rw/scribble",
        "RUN --mount=type=bind,from=a,target=/again cat /again/a && ls /again",
        "COPY --from=busybox /bin/busybox /bb",
        "");
    Path ctx = bed.context(Map.of("in.txt", "x"));
    Outcome o = bed.build(dockerfile, ctx, tagged("localhost/zl/chain:1"));
    ImageConfig config = stored(o);
    assertSameConfigAsEvaluator(o, config);
    assertTrue(o.output().contains("a"), o.output().toString());
    assertTrue(o.output().contains("written"), o.output().toString());
    assertFalse(Files.exists(ctx.resolve("written")), "a rw bind never changes the context");
    SortedMap<String, String> files = bed.flattenStored(o.image().manifest());
    assertEquals("100644 0:0 size=2", files.get("/a"));
    assertEquals("100644 0:0 size=2", files.get("/b"));
    assertEquals("100755 0:0 size=" + Files.size(RealParts.require("busybox").toRealPath()),
        files.get("/bb"));
    assertFalse(files.containsKey("/mnt"), files.keySet().toString());
    assertFalse(files.containsKey("/ctx"), files.keySet().toString());
    assertFalse(files.containsKey("/rw"), files.keySet().toString());
    int ls = o.output().lastIndexOf("a");
    assertFalse(o.output().subList(ls, o.output().size()).contains("scribble"),
        "a read-write bind from a stage leaves the stage as it was");
    Files.writeString(bed.root.resolve("chain-history.txt"), historyText(config).toString());
  }

  @Test
  void independentStagesRunAtTheSameTime() throws Exception {
    String dockerfile = String.join("\n",
        "FROM busybox AS a",
        "RUN sleep 3 && echo a > /a",
        "FROM busybox AS b",
        "RUN sleep 3 && echo b > /b",
        "FROM scratch",
        "COPY --from=a /a /a",
        "COPY --from=b /b /b",
        "");
    Outcome o = bed.build(dockerfile, bed.context(Map.of()), tagged("localhost/zl/waves:1"));
    List<String> order = new ArrayList<>();
    for (BuildEvent e : o.events()) {
      if (e instanceof BuildEvent.StepStarted s && s.step().step() == 1
          && s.step().stageIndex() < 2) {
        order.add("start " + s.step().stage());
      } else if (e instanceof BuildEvent.StepFinished f && f.step().step() == 1
          && f.step().stageIndex() < 2) {
        order.add("end " + f.step().stage());
      }
    }
    assertEquals(List.of("start", "start", "end", "end"),
        order.stream().map(x -> x.split(" ")[0]).toList(), order.toString());
    assertEquals(List.of("/a", "/b"),
        List.copyOf(bed.flattenStored(o.image().manifest()).keySet()));
    assertSameConfigAsEvaluator(o, stored(o));
  }
}
