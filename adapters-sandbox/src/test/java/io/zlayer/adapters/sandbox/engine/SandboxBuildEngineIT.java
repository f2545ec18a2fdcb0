package io.zlayer.adapters.sandbox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.run.FlatRootfsSandbox;
import io.zlayer.adapters.sandbox.run.SandboxHost;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.EngineAvailability;
import io.zlayer.application.port.SecretSource;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import io.zlayer.application.port.RegistryOptions;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox engine against real bubblewrap, overlayfs and busybox (needs root). */
@Timeout(180)
class SandboxBuildEngineIT {
  @TempDir Path temp;
  private EngineHarness h;

  @BeforeAll
  static void realParts() {
    RealParts.require("bwrap");
    RealParts.require("unshare");
    RealParts.require("busybox");
    RealParts.requireRoot();
  }

  @BeforeEach
  void harness() throws Exception {
    h = new EngineHarness(temp);
  }

  private static BuildOptions options(boolean noCache, ImageFormat format,
      LayerCompression compression, List<SecretSource> secrets, Map<String, String> ssh,
      Optional<Instant> timestamp, Map<String, String> labels) {
    return new BuildOptions(noCache, format, compression, secrets, ssh, timestamp, labels,
        Optional.empty(), RegistryOptions.DEFAULT);
  }

  private static BuildOptions noCache() {
    return options(true, ImageFormat.OCI, LayerCompression.GZIP, List.of(), Map.of(),
        Optional.empty(), Map.of());
  }

  @Test
  void isAvailableWithBubblewrap() {
    EngineAvailability availability = h.engine.availability();
    assertTrue(availability.usable(), availability.toString());
    assertTrue(availability.detail().contains("overlayfs"), availability.detail());
  }

  @Test
  void runMakesOneLayerWithItsAdditionsAndDeletions() throws Exception {
    BuiltImage image = h.run("FROM busybox\n"
        + "RUN echo hello > /hello.txt && rm /etc/motd && mkdir -p /data/sub\n");
    ImageManifest manifest = h.manifest(image);
    assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
    assertEquals(2, manifest.layers().size());
    Map<String, String> top = h.topLayer(image);
    assertEquals("hello\n", top.get("hello.txt"));
    assertTrue(top.containsKey("etc/.wh.motd"), top.keySet().toString());
    assertTrue(top.containsKey("data/sub/"), top.keySet().toString());
    assertFalse(top.keySet().stream().anyMatch(n -> n.startsWith("proc") || n.startsWith("dev")
        || n.startsWith("sys")), "mount points are not in the layer: " + top.keySet());
    ImageConfig config = h.config(image);
    assertEquals(2, config.diffIds().size());
    assertTrue(Files.isDirectory(h.settings.layersDir().resolve(config.diffIds().get(1).hex())),
        "the new layer is kept unpacked under its diff_id");
    HistoryEntry last = config.history().get(config.history().size() - 1);
    assertFalse(last.emptyLayer());
    assertTrue(last.createdBy().orElse("").startsWith("RUN /bin/sh -c echo hello"));
    assertEquals(List.of("FROM busybox", "RUN echo hello > /hello.txt && rm /etc/motd && "
        + "mkdir -p /data/sub"), h.started());
    assertEquals(h.scratchLeft().stream().filter(n -> !n.endsWith(".lock")).toList(), List.of());
  }

  @Test
  void multiStageWithCopyFromAndFromStageBuildsOnlyWhatTheTargetNeeds() throws Exception {
    String dockerfile = "FROM busybox AS base\n"
        + "RUN echo base > /base.txt\n"
        + "FROM base AS build\n"
        + "RUN cat /base.txt > /out.txt && echo built >> /out.txt\n"
        + "FROM busybox AS unused\n"
        + "RUN exit 7\n"
        + "FROM scratch AS final\n"
        + "COPY --from=build /out.txt /result/out.txt\n";
    BuiltImage image = h.run(dockerfile);
    ImageManifest manifest = h.manifest(image);
    assertEquals(1, manifest.layers().size(), "scratch plus one COPY layer");
    assertEquals("base\nbuilt\n", h.topLayer(image).get("result/out.txt"));
    assertFalse(h.started().contains("RUN exit 7"), "the unused stage is not built");

    BuiltImage build = h.build(dockerfile).target("build").run();
    ImageManifest buildManifest = h.manifest(build);
    assertEquals(3, buildManifest.layers().size(), "busybox, base's RUN, build's RUN");
    assertEquals("base\n", h.layer(buildManifest.layers().get(1)).get("base.txt"));
    assertEquals("base\nbuilt\n", h.topLayer(build).get("out.txt"));
  }

  @Test
  void independentStagesRunAtTheSameTime() throws Exception {
    // each stage waits for the other's marker: the build only succeeds when they overlap
    String token = Long.toString(System.nanoTime());
    String wait = "for i in $(seq 300); do [ -f /rdv/%s ] && exit 0; sleep 0.1; done; exit 1";
    String dockerfile = "FROM busybox AS a\nARG TOKEN\n"
        + "RUN --mount=type=cache,id=rdv,target=/rdv touch /rdv/a-$TOKEN; "
        + String.format(wait, "b-$TOKEN") + "\n"
        + "FROM busybox AS b\nARG TOKEN\n"
        + "RUN --mount=type=cache,id=rdv,target=/rdv touch /rdv/b-$TOKEN; "
        + String.format(wait, "a-$TOKEN") + "\n"
        + "FROM scratch\nCOPY --from=a /etc/motd /a\nCOPY --from=b /etc/motd /b\n";
    BuiltImage image = h.build(dockerfile).arg("TOKEN", token).run();
    assertEquals(2, h.manifest(image).layers().size());
  }

  @Test
  void userByNameAndByIdsWithSupplementaryGroups() throws Exception {
    h.run("FROM busybox\nUSER app\nRUN id\nUSER 1000:50\nRUN id\nUSER root\nRUN id\n");
    List<String> out = h.output();
    // busybox prints the supplementary groups (getgroups, which the kernel sorts); as in
    // BuildKit, the primary group is always one of them
    assertEquals(List.of("uid=1000(app) gid=1000(app) groups=10(wheel),50(staff),1000(app)",
        "uid=1000(app) gid=50(staff) groups=50(staff)", "uid=0(root) gid=0(root) groups=0(root)"),
        out);
  }

  @Test
  void workdirIsCreatedOwnedByTheUserAndRunStartsThere() throws Exception {
    BuiltImage image = h.run("FROM busybox\nUSER app\nWORKDIR /work/dir\nRUN pwd; echo $HOME\n");
    assertEquals(List.of("/work/dir", "/home/app"), h.output());
    ImageManifest manifest = h.manifest(image);
    Map<TarArchiveEntry, byte[]> workdir = h.entries(manifest.layers().get(1));
    TarArchiveEntry dir = workdir.keySet().stream().filter(e -> e.getName().equals("work/dir/"))
        .findFirst().orElseThrow();
    assertEquals(1000, dir.getLongUserId());
    assertEquals(1000, dir.getLongGroupId());
    assertEquals(0755, dir.getMode() & 07777);
    ImageConfig config = h.config(image);
    assertEquals(Optional.of("/work/dir"), config.config().workingDir());
    assertTrue(config.history().get(config.history().size() - 1).emptyLayer(),
        "the RUN changed nothing: " + config.history());
  }

  @Test
  void runGetsEnvArgsAndProxyDefaults() throws Exception {
    String dockerfile = "FROM busybox\nARG FOO=bar\nENV BAZ=qux\n"
        + "RUN echo \"$FOO-$BAZ-$PATH\" > /env.txt\n";
    BuiltImage image = h.run(dockerfile);
    assertEquals("bar-qux-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
        h.topLayer(image).get("env.txt"));
    BuiltImage other = h.build(dockerfile).arg("FOO", "given").run();
    assertTrue(h.topLayer(other).get("env.txt").startsWith("given-qux-"));
    assertEquals(List.of("RUN echo \"$FOO-$BAZ-$PATH\" > /env.txt"), h.started(),
        "a changed ARG invalidates the RUN that sees it");
    ImageConfig config = h.config(other);
    assertFalse(config.config().env().stream().anyMatch(e -> e.startsWith("FOO=")),
        "ARGs stay out of the image");
  }

  @Test
  void cacheHitsRunNothingAndNoCacheRunsEverything() throws Exception {
    Files.writeString(h.context.resolve("app.txt"), "app\n");
    String dockerfile = "FROM busybox\n"
        + "RUN --mount=type=cache,target=/cache echo run >> /cache/count; wc -l < /cache/count\n"
        + "COPY app.txt /app/\n"
        + "WORKDIR /srv\n"
        + "RUN echo done > /done\n";
    BuiltImage first = h.run(dockerfile);
    assertEquals(List.of("1"), h.output());
    assertEquals(0, first.cachedSteps(), h.eventText());
    assertEquals(5, first.steps());
    int copies = h.copier.copies.get();

    BuiltImage second = h.run(dockerfile);
    assertEquals(List.of(), h.started(), "a rebuild starts nothing");
    assertEquals(5, h.events(BuildEvent.StepCached.class).size());
    assertEquals(List.of("FROM busybox",
        "RUN --mount=type=cache,target=/cache echo run >> /cache/count; wc -l < /cache/count",
        "COPY app.txt /app/", "WORKDIR /srv", "RUN echo done > /done"), h.cachedTexts(),
        "each cached step is announced with its instruction first, as BuildKit shows it");
    assertEquals(first.configDigest(), second.configDigest(), "a rebuild from the cache is the same image");
    assertEquals(List.of(), h.output());
    assertEquals(copies, h.copier.copies.get(), "no copy on a cache hit");
    assertEquals(5, second.cachedSteps());
    assertEquals(5, second.steps());
    assertEquals(h.manifest(first).layers(), h.manifest(second).layers());

    Files.writeString(h.context.resolve("app.txt"), "changed\n");
    BuiltImage changed = h.run(dockerfile);
    assertEquals(List.of("COPY app.txt /app/", "WORKDIR /srv", "RUN echo done > /done"),
        h.started(), "a changed source reruns its COPY and what follows, not what comes before");
    assertEquals(4, h.manifest(changed).layers().size(), "the cache-only RUN made no layer");
    assertEquals("changed\n", h.layer(h.manifest(changed).layers().get(1)).get("app/app.txt"));

    h.build(dockerfile).options(noCache()).run();
    assertEquals(List.of("2"), h.output(), "--no-cache runs the RUN again");
    assertEquals(4, h.started().stream().filter(s -> !s.startsWith("FROM")).count());
  }

  @Test
  void cacheMountsPersistAndNeverEndInALayer() throws Exception {
    String dockerfile = "FROM busybox\nARG N\n"
        + "RUN --mount=type=cache,target=/var/cache/app,id=app,uid=1000,mode=0700 "
        + "echo $N >> /var/cache/app/log; cat /var/cache/app/log; "
        + "stat -c '%u %a' /var/cache/app\n";
    h.build(dockerfile).arg("N", "one").run();
    assertEquals(List.of("one", "1000 700"), h.output());
    BuiltImage second = h.build(dockerfile).arg("N", "two").run();
    assertEquals(List.of("one", "two", "1000 700"), h.output());
    assertFalse(h.topLayer(second).keySet().stream().anyMatch(n -> n.contains("log")),
        h.topLayer(second).keySet().toString());
  }

  @Test
  void tmpfsMountIsEmptyWritableAndLeavesNothing() throws Exception {
    BuiltImage image = h.run("FROM busybox\n"
        + "RUN --mount=type=tmpfs,target=/scratch echo x > /scratch/f && ls /scratch "
        + "&& echo kept > /kept\n");
    assertEquals(List.of("f"), h.output());
    assertEquals(List.of("kept"), List.copyOf(h.topLayer(image).keySet()));
  }

  @Test
  void secretsReachTheStepButNoLayerEventOrCacheFile() throws Exception {
    String value = "s3cr3t-" + System.nanoTime();
    Path secretFile = Files.writeString(temp.resolve("token"), value);
    BuildOptions withSecrets = options(false, ImageFormat.OCI, LayerCompression.GZIP,
        List.of(new SecretSource.FromFile("tok", secretFile),
            new SecretSource.FromEnvironment("envtok", "ENVTOK", value + "-env")),
        Map.of(), Optional.empty(), Map.of());
    String dockerfile = "FROM busybox\n"
        + "RUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /len; "
        + "stat -c '%a %u' /run/secrets/tok\n"
        + "RUN --mount=type=secret,id=envtok,env=TOKEN,target=/s/t "
        + "test \"$TOKEN\" = \"$(cat /s/t)\" && echo same > /same\n"
        + "RUN --mount=type=secret,id=missing test ! -e /run/secrets/missing && echo skipped\n";
    BuiltImage image = h.build(dockerfile).options(withSecrets).run();
    assertEquals(List.of("400 0", "skipped"), h.output());
    String layers = h.allLayerText(image);
    assertTrue(layers.contains(Integer.toString(value.length())), "the step read the secret");
    assertTrue(layers.contains("same"));
    assertFalse(layers.contains(value), "no layer holds the secret");
    assertFalse(layers.contains("run/secrets"), "nor its mount point");
    assertFalse(h.eventText().contains(value));
    assertFalse(new String(h.store.readBlob(image.configDigest()), StandardCharsets.UTF_8)
        .contains(value));
    try (Stream<Path> files = Files.walk(h.settings.root())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(value),
            "the secret is in " + f);
      }
    }

    BuildException missing = assertThrows(BuildException.class, () -> h.build(
        "FROM busybox\nRUN --mount=type=secret,id=nope,required true\n").run());
    assertEquals("Dockerfile:2: secret nope is required but was not given",
        missing.getMessage());
  }

  @Test
  void bindMountsFromStagesAndTheContext() throws Exception {
    Files.writeString(h.context.resolve("ctx.txt"), "from context\n");
    Files.writeString(h.context.resolve("hidden.txt"), "ignored\n");
    Files.writeString(h.context.resolve(".dockerignore"), "hidden.txt\n");
    BuiltImage image = h.run("FROM busybox AS src\nRUN echo data > /d.txt\n"
        + "FROM busybox\n"
        + "RUN --mount=type=bind,from=src,source=/d.txt,target=/m.txt cat /m.txt > /copied\n"
        + "RUN --mount=type=bind,target=/ctx cat /ctx/ctx.txt; ls /ctx; "
        + "touch /ctx/x 2>/dev/null || echo read-only\n"
        + "RUN --mount=type=bind,source=ctx.txt,target=/c,rw echo more >> /c && cat /c\n");
    ImageManifest manifest = h.manifest(image);
    assertEquals("data\n", h.layer(manifest.layers().get(1)).get("copied"));
    assertEquals(List.of("from context", "Dockerfile", "ctx.txt", "read-only", "from context",
        "more"), h.output());
    assertEquals("from context\n", Files.readString(h.context.resolve("ctx.txt")),
        "a writable bind mount never changes its source");
  }

  @Test
  void networkNoneHasOnlyLoopback() throws Exception {
    h.run("FROM busybox\nRUN --network=none cut -d: -f1 /proc/net/dev | tail -n +3\n");
    assertEquals(List.of("lo"), h.output().stream().map(String::strip).toList());
  }

  @Test
  void failingRunReportsLineExitCodeAndLastOutput() throws Exception {
    BuildException e = assertThrows(BuildException.class, () -> h.run("FROM busybox\n"
        + "ENV A=1\n"
        + "RUN echo building; echo 'broken thing' >&2; exit 3\n"));
    assertEquals("Dockerfile:3: RUN echo building; echo 'broken thing' >&2; exit 3: exit code 3",
        e.getMessage());
    assertEquals(3, e.exitCode());
    // stdout and stderr are two pipes: their lines may arrive in either order
    assertEquals(List.of("broken thing", "building"), e.lastOutput().stream().sorted().toList());
    List<BuildEvent.StepFailed> failed = h.events(BuildEvent.StepFailed.class);
    assertEquals(1, failed.size());
    assertEquals(3, failed.get(0).step().line());
    assertEquals(2, failed.get(0).step().step());
    assertEquals(h.scratchLeft().stream().filter(n -> !n.endsWith(".lock")).toList(), List.of());
  }

  @Test
  void aFailingStageStopsItsParallelSiblings() throws Exception {
    long started = System.nanoTime();
    BuildException e = assertThrows(BuildException.class, () -> h.run("FROM busybox AS slow\n"
        + "RUN sleep 100\n"
        + "FROM busybox AS broken\n"
        + "RUN sleep 1; exit 5\n"
        + "FROM scratch\nCOPY --from=slow /etc/motd /a\nCOPY --from=broken /etc/motd /b\n"));
    assertEquals(5, e.exitCode());
    assertTrue(e.getMessage().startsWith("Dockerfile:4: "), e.getMessage());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(40), "did not wait");
    assertFalse(RealParts.run(null, "ps", "-eo", "args").contains("sleep 100"));
    assertEquals(List.of("RUN sleep 1; exit 5"), h.events(BuildEvent.StepFailed.class).stream()
        .map(f -> h.events(BuildEvent.StepStarted.class).stream()
            .filter(st -> st.step().equals(f.step())).findFirst().orElseThrow().text()).toList(),
        "the stopped sibling has no end event (the views show it CANCELED), only the failure");
    assertEquals(List.of(), h.scratchLeft().stream().filter(n -> !n.endsWith(".lock")).toList());
  }

  @Test
  void emptyRunMakesNoLayer() throws Exception {
    BuiltImage image = h.run("FROM busybox\nRUN true\nRUN echo x > /x\nRUN true\n");
    ImageConfig config = h.config(image);
    assertEquals(2, config.diffIds().size());
    List<HistoryEntry> history = config.history();
    assertEquals(List.of(false, true, false, true),
        history.stream().map(HistoryEntry::emptyLayer).toList());
  }

  @Test
  void timestampMakesBuildsReproducible() throws Exception {
    Files.writeString(h.context.resolve("a.txt"), "a\n");
    String dockerfile = "FROM busybox\nRUN echo hi > /hi && mkdir /d\nCOPY a.txt /d/\n"
        + "WORKDIR /w\nLABEL x=y\n";
    Instant epoch = Instant.parse("2024-06-01T12:00:00Z");
    BuildOptions fixed = options(false, ImageFormat.OCI, LayerCompression.GZIP, List.of(),
        Map.of(), Optional.of(epoch), Map.of("built.by", "test"));
    BuiltImage one = h.build(dockerfile).options(fixed).run();
    EngineHarness other = new EngineHarness(Files.createDirectories(temp.resolve("other")));
    Files.writeString(other.context.resolve("a.txt"), "a\n");
    Thread.sleep(1100); // a second later: times that were not fixed would differ
    BuiltImage two = other.build(dockerfile).options(fixed).run();
    assertEquals(one.manifest().digest(), two.manifest().digest());
    ImageConfig config = h.config(one);
    assertEquals(Optional.of(epoch), config.created());
    assertEquals("test", config.config().labels().get("built.by"));
    assertEquals("y", config.config().labels().get("x"));
    assertEquals(Optional.of(epoch), config.history().get(config.history().size() - 1)
        .created());
    assertEquals(Optional.of(BusyboxBase.CREATED), config.history().get(0).created());
    for (TarArchiveEntry e : h.entries(h.manifest(one).layers().get(1)).keySet()) {
      assertFalse(e.getLastModifiedDate().toInstant().isAfter(epoch), e.getName());
    }
    BuiltImage later = h.build(dockerfile).run();
    assertNotEquals(one.manifest().digest(), later.manifest().digest());
  }

  @Test
  void aFullCacheHitMakesTheSameImageAgain() throws Exception {
    Files.writeString(h.context.resolve("a.txt"), "a\n");
    String dockerfile = "FROM busybox AS build\nCOPY a.txt /a.txt\nRUN cat /a.txt > /b.txt\n"
        + "FROM busybox\nENV X=1\nCOPY --from=build /b.txt /\nRUN true\nCMD [\"sh\"]\n";
    BuiltImage first = h.run(dockerfile);
    ImageConfig config = h.config(first);
    Instant built = config.created().orElseThrow();
    assertTrue(config.history().stream().allMatch(e -> e.created().isPresent()));
    Thread.sleep(1100); // a second later: a time taken from the clock would differ
    Files.setLastModifiedTime(h.context.resolve("a.txt"), FileTime.from(Instant.now()));
    BuiltImage again = h.run(dockerfile);
    assertEquals(6, again.cachedSteps(), h.eventText());
    assertEquals(first.configDigest(), again.configDigest(), "same config, same image id");
    assertEquals(first.manifest().digest(), again.manifest().digest());

    Files.writeString(h.context.resolve("a.txt"), "changed\n");
    BuiltImage changed = h.run(dockerfile);
    ImageConfig newer = h.config(changed);
    assertTrue(newer.created().orElseThrow().isAfter(built), newer.created().toString());
    List<HistoryEntry> history = newer.history();
    assertEquals(newer.created(), history.get(history.size() - 1).created(),
        "the image's time is its last step's");
    assertEquals(Optional.of(BusyboxBase.CREATED), history.get(0).created());
  }

  @Test
  void dockerFormatUsesDockerMediaTypes() throws Exception {
    BuildOptions docker = options(false, ImageFormat.DOCKER, LayerCompression.GZIP, List.of(),
        Map.of(), Optional.empty(), Map.of());
    BuiltImage image = h.build("FROM busybox\nRUN echo d > /d\n").options(docker).run();
    ImageManifest manifest = h.manifest(image);
    assertEquals(MediaTypes.DOCKER_MANIFEST, image.manifest().mediaType());
    assertEquals(MediaTypes.DOCKER_MANIFEST, manifest.mediaType());
    assertEquals(MediaTypes.DOCKER_CONFIG, manifest.config().mediaType());
    assertEquals(List.of(MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP),
        manifest.layers().stream().map(Descriptor::mediaType).toList());

    BuildOptions zstd = options(false, ImageFormat.OCI, LayerCompression.ZSTD, List.of(),
        Map.of(), Optional.empty(), Map.of());
    BuiltImage oci = h.build("FROM busybox\nRUN echo d > /d\n").options(zstd).run();
    assertEquals(List.of(), h.started().stream().filter(s -> s.startsWith("RUN")).toList(),
        "another compression reuses the cached step");
    assertEquals(List.of(MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_ZSTD),
        h.manifest(oci).layers().stream().map(Descriptor::mediaType).toList());
    assertEquals("d\n", h.topLayer(oci).get("d"));
    assertEquals(h.config(image).diffIds(), h.config(oci).diffIds());
  }

  @Test
  void scratchImageWithOnlyMetadata() throws Exception {
    BuiltImage image = h.run("FROM scratch\nLABEL a=b\nENV X=1\nCMD [\"/app\"]\n");
    ImageConfig config = h.config(image);
    assertEquals(List.of(), config.diffIds());
    assertEquals(List.of(), h.manifest(image).layers());
    assertEquals("b", config.config().labels().get("a"));
    assertEquals(Optional.of(List.of("/app")), config.config().cmd());
    assertTrue(config.history().stream().allMatch(HistoryEntry::emptyLayer));
    assertEquals(0, image.steps());
    assertEquals(Platform.host().architecture(), config.architecture());
  }

  @Test
  void withoutBubblewrapEverythingButRunBuilds() throws Exception {
    BuildException missing = new BuildException("bwrap (bubblewrap) is not installed; the zlayer "
        + "sandbox needs it to run RUN steps", -1, List.of(),
        "install it: apt-get install bubblewrap", null);
    SandboxBuildEngine engine = new SandboxBuildEngine(h.settings, h.store, h.copier,
        ForeignPlatforms.BINFMT_MISC, SandboxHost::stepSandbox, probe -> {
          throw missing;
        });
    EngineAvailability availability = engine.availability();
    assertTrue(availability.usable(), availability.toString());
    assertTrue(availability.detail().startsWith("without RUN steps: bwrap"),
        availability.detail());
    Files.writeString(h.context.resolve("a.txt"), "a\n");
    var copy = h.build("FROM busybox\nCOPY a.txt /a.txt\n").plan();
    BuiltImage image = engine.build(new io.zlayer.application.port.BuildJob(copy, h.context,
        h.context.resolve("Dockerfile"), BuildOptions.defaults(), event -> { }));
    List<HistoryEntry> history = h.config(image).history();
    assertTrue(history.get(history.size() - 1).createdBy().orElse("").contains("COPY a.txt"),
        history.toString());
    var run = h.build("FROM busybox\nRUN true\n").plan();
    BuildException e = assertThrows(BuildException.class, () -> engine.build(
        new io.zlayer.application.port.BuildJob(run, h.context, h.context.resolve("Dockerfile"),
            BuildOptions.defaults(), event -> { })));
    assertEquals("Dockerfile:2: RUN true: " + missing.getMessage(), e.getMessage());
    assertEquals(missing.hint(), e.hint());
  }

  @Test
  void foreignPlatformBuildsWithoutRunAndExplainsRun() throws Exception {
    Files.writeString(h.context.resolve("a.txt"), "a\n");
    Platform arm = Platform.of("linux", "arm64");
    BuiltImage image = h.build("FROM scratch\nCOPY a.txt /\n").platform(arm).run();
    assertEquals("arm64", h.config(image).architecture());
    Path noEmulators = Files.createDirectories(temp.resolve("binfmt"));
    SandboxBuildEngine engine = new SandboxBuildEngine(h.settings, h.store, h.copier,
        noEmulators, SandboxHost::stepSandbox);
    var plan = h.build("FROM busybox\nRUN true\n").platform(arm).plan();
    BuildException e = assertThrows(BuildException.class, () -> engine.build(
        new io.zlayer.application.port.BuildJob(plan, h.context, h.context.resolve("Dockerfile"),
            BuildOptions.defaults(), event -> { })));
    assertTrue(e.getMessage().startsWith("Dockerfile:2: RUN true: cannot run programs for "
        + "linux/arm64 on this linux/"), e.getMessage());
    assertTrue(e.getMessage().contains("no binfmt_misc emulator for aarch64"), e.getMessage());
    assertTrue(e.hint().orElse("").contains("qemu-user-static binfmt-support"));
  }

  @Test
  void interruptStopsTheRunAndLeavesNothingHalfDone() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Path file = h.context.resolve("Dockerfile");
    String dockerfile = "FROM busybox\nRUN echo started; echo partial > /partial; sleep 100\n";
    Files.writeString(file, dockerfile);
    var plan = h.build(dockerfile).plan();
    Thread builder = new Thread(() -> {
      try {
        h.engine.build(new io.zlayer.application.port.BuildJob(plan, h.context, file,
            BuildOptions.defaults(), event -> {
              if (event instanceof BuildEvent.StepOutput o && o.line().equals("started")) {
                running.countDown();
              }
            }));
        outcome.set(new AssertionError("the build finished"));
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    h.run("FROM busybox\n"); // the base layer is unpacked before
    long layersBefore = count(h.settings.layersDir());
    builder.start();
    assertTrue(running.await(60, TimeUnit.SECONDS), "the RUN started");
    long started = System.nanoTime();
    builder.interrupt();
    builder.join(TimeUnit.SECONDS.toMillis(60));
    assertFalse(builder.isAlive());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "stopped quickly");
    assertInstanceOf(InterruptedException.class, outcome.get());
    assertEquals(List.of(), h.scratchLeft(), "no scratch directory left");
    assertEquals(layersBefore, count(h.settings.layersDir()), "no layer made");
    assertEquals(0, count(h.settings.stepCacheDir()),
        "the cache has no entry for the interrupted step");
    String ps = RealParts.run(null, "ps", "-eo", "args");
    assertFalse(ps.contains("sleep 100"), "the step's processes are gone");
  }

  @Test
  void flatRootfsFallbackBuildsTheSameLayers() throws Exception {
    Files.writeString(h.context.resolve("a.txt"), "a\n");
    String dockerfile = "FROM busybox\n"
        + "RUN echo hi > /hi && rm /etc/motd && mkdir -p /opt/x && chmod 700 /root\n"
        + "USER app\nWORKDIR /home/app/w\nRUN echo mine > f && id -u\n"
        + "USER root\nRUN rm -r /home/app/w && true\n"
        + "RUN --mount=type=tmpfs,target=/var/lib/deep/mnt touch /var/marker\n";
    BuildOptions fixed = options(false, ImageFormat.OCI, LayerCompression.GZIP, List.of(),
        Map.of(), Optional.of(Instant.parse("2024-06-01T00:00:00Z")), Map.of());
    BuiltImage overlay = h.build(dockerfile).options(fixed).run();
    EngineHarness flat = new EngineHarness(Files.createDirectories(temp.resolve("flat")),
        temp.resolve("flat/sandbox"), FlatRootfsSandbox::new);
    BuiltImage copied = flat.build(dockerfile).options(fixed).run();
    assertEquals(List.of("1000"), flat.output());
    ImageManifest a = h.manifest(overlay);
    ImageManifest b = flat.manifest(copied);
    assertEquals(a.layers().size(), b.layers().size());
    for (int i = 1; i < a.layers().size(); i++) {
      // the mount points the sandbox made and removed (/etc/resolv.conf, /etc/hosts, parents of
      // the tmpfs) leave no trace in either: the layers are the same bytes
      assertEquals(headers(h, a.layers().get(i)), headers(flat, b.layers().get(i)),
          "layer " + i);
      assertEquals(a.layers().get(i).digest(), b.layers().get(i).digest(), "layer " + i);
    }
    assertEquals("mine\n", flat.layer(b.layers().get(3)).get("home/app/w/f"));
    assertTrue(flat.layer(b.layers().get(4)).containsKey("home/app/.wh.w"));
    // WORKDIR makes /home/app/w again; the tmpfs's missing parents under /var are gone
    assertEquals(List.of("home/", "home/app/", "home/app/w/", "var/", "var/marker"),
        List.copyOf(flat.layer(b.layers().get(5)).keySet()));
    assertEquals(List.of(), flat.scratchLeft().stream().filter(n -> !n.endsWith(".lock"))
        .toList());
  }

  private static List<String> headers(EngineHarness harness, Descriptor layer) throws Exception {
    return harness.entries(layer).entrySet().stream().map(e -> {
      TarArchiveEntry t = e.getKey();
      return t.getName() + " " + Integer.toOctalString(t.getMode()) + " " + t.getLongUserId()
          + ":" + t.getLongGroupId() + " " + t.getModTime().getTime() + " " + t.getLinkName()
          + " " + new String(e.getValue(), StandardCharsets.UTF_8);
    }).toList();
  }

  @Test
  void cacheMountSeededFromAStageAndSourcesFromAnImage() throws Exception {
    BuiltImage image = h.run("FROM busybox AS seed\nRUN mkdir /seed && echo s > /seed/s.txt\n"
        + "FROM busybox\n"
        + "RUN --mount=type=cache,from=seed,source=/seed,target=/c,id=seeded "
        + "cat /c/s.txt && echo more >> /c/s.txt\n"
        + "RUN --mount=type=bind,from=busybox,source=/etc,target=/base-etc cat /base-etc/motd\n"
        + "COPY --from=busybox /etc/group /copied-group\n");
    assertEquals(List.of("s", "welcome"), h.output());
    assertTrue(h.topLayer(image).get("copied-group").contains("staff:x:50:app"));
    h.run("FROM busybox\nARG X=1\n"
        + "RUN --mount=type=cache,target=/c,id=seeded cat /c/s.txt 2>/dev/null || echo fresh\n");
    assertEquals(List.of("fresh"), h.output(),
        "a cache with another base is another cache");
  }

  @Test
  void aBuildAfterAnInterruptedOneStillWorks() throws Exception {
    Thread builder = new Thread(() -> {
      try {
        h.run("FROM busybox\nRUN echo a > /a && sleep 100\n");
      } catch (Exception e) {
        // interrupted, expected
      }
    });
    builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (h.started().stream().noneMatch(s -> s.startsWith("RUN"))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(300);
    builder.interrupt();
    builder.join(TimeUnit.SECONDS.toMillis(60));
    BuiltImage image = h.run("FROM busybox\nRUN echo a > /a && echo done\n");
    assertEquals(List.of("done"), h.output());
    assertEquals("a\n", h.topLayer(image).get("a"));
  }

  private static long count(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void heredocScriptAndSshAgentMount() throws Exception {
    Path socket = temp.resolve("agent.sock");
    try (ServerSocketChannel agent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      agent.bind(UnixDomainSocketAddress.of(socket));
      BuildOptions ssh = options(false, ImageFormat.OCI, LayerCompression.GZIP, List.of(),
          Map.of("default", socket.toString()), Optional.empty(), Map.of());
      BuiltImage image = h.build("FROM busybox\n"
          + "RUN <<EOF\n#!/bin/sh\necho from-script > /script.txt\nEOF\n"
          + "RUN --mount=type=ssh test -S \"$SSH_AUTH_SOCK\" && echo $SSH_AUTH_SOCK\n")
          .options(ssh).run();
      assertEquals(List.of("/run/buildkit/ssh_agent.0"), h.output());
      ImageManifest manifest = h.manifest(image);
      Map<String, String> script = h.layer(manifest.layers().get(1));
      assertEquals("from-script\n", script.get("script.txt"));
      assertFalse(script.keySet().stream().anyMatch(n -> n.startsWith("dev")), script.keySet()
          .toString());
      assertEquals(2, manifest.layers().size(), "the ssh step changed nothing");
    }
  }

  @Test
  void imageUnpacksWithUmoci() throws Exception {
    RealParts.require("umoci");
    BuiltImage image = h.run("FROM busybox\nRUN echo hi > /hi && rm /etc/motd\n");
    h.store.tag(ImageReference.parse("localhost/test:umoci"), image.manifest());
    Path bundle = temp.resolve("bundle");
    RealParts.run(null, "umoci", "unpack", "--image",
        h.store.root() + ":localhost/test:umoci", bundle.toString());
    assertEquals("hi\n", Files.readString(bundle.resolve("rootfs/hi")));
    assertFalse(Files.exists(bundle.resolve("rootfs/etc/motd")));
    assertTrue(Files.isRegularFile(bundle.resolve("rootfs/bin/busybox")));
  }
}
