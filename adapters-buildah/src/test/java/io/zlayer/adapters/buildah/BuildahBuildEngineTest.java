package io.zlayer.adapters.buildah;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.EngineAvailability;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.SecretSource;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.BuildPlanRequest;
import io.zlayer.domain.build.BuildPlanner;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buildah command lines the engine generates, against a mocked {@link ProcessRunner}. */
class BuildahBuildEngineTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Digest BASE_DIFF = Digest.sha256("base".getBytes(StandardCharsets.UTF_8));

  @TempDir Path tmp;
  private OciLayoutStore store;
  private FakeBuildah buildah;
  private BuildahSettings settings;
  private Path context;
  private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() throws Exception {
    store = new OciLayoutStore(tmp.resolve("store"));
    buildah = new FakeBuildah(tmp.resolve("mounts"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path program = bin.resolve("buildah");
    Files.writeString(program, "#!/bin/sh\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    settings = new BuildahSettings(Optional.empty(), bin.toString(), Map.of("STORAGE_DRIVER",
        "vfs"), tmp.resolve("work"), tmp.resolve("cache"), true);
    context = Files.createDirectories(tmp.resolve("context"));
    baseImage("docker.io/library/busybox:latest", List.of());
  }

  private void baseImage(String name, List<String> onBuild) throws Exception {
    byte[] layer = ("layer of " + name).getBytes(StandardCharsets.UTF_8);
    Digest layerDigest = store.putBlob(layer);
    ContainerConfig cc = ContainerConfig.EMPTY.toBuilder()
        .env(List.of("PATH=/usr/bin:/bin", "BASE=1")).cmd(Optional.of(List.of("sh")))
        .onBuild(onBuild).build();
    ImageConfig config = new ImageConfig(Optional.of(Instant.EPOCH), Optional.empty(), "amd64",
        "linux", Optional.empty(), Optional.empty(), cc, List.of(BASE_DIFF),
        List.of(HistoryEntry.of(Instant.EPOCH, "base layer", false)));
    byte[] configBytes = ImageJson.write(config);
    Digest cd = store.putBlob(configBytes);
    byte[] manifest = ImageJson.write(new ImageManifest(MediaTypes.DOCKER_MANIFEST,
        Descriptor.of(MediaTypes.DOCKER_CONFIG, cd, configBytes.length),
        List.of(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, layerDigest, layer.length))));
    Digest md = store.putBlob(manifest);
    store.tag(ImageReference.parse(name), Descriptor.of(MediaTypes.DOCKER_MANIFEST, md,
        manifest.length));
  }

  private BuildahBuildEngine engine() {
    return new BuildahBuildEngine(store, settings, buildah.runner, "Linux");
  }

  private BuiltImage build(String dockerfile, BuildOptions options) throws Exception {
    return build(dockerfile, options, AMD64);
  }

  private BuiltImage build(String dockerfile, BuildOptions options, Platform target)
      throws Exception {
    BuildPlan plan = BuildPlanner.plan(new BuildPlanRequest(dockerfile, "Dockerfile", Map.of(),
        Optional.empty(), AMD64, target));
    Path file = context.resolve("Dockerfile");
    Files.writeString(file, dockerfile);
    return engine().build(new BuildJob(plan, context, file, options, events::add));
  }

  private static BuildOptions options(ImageFormat format, Optional<String> isolation,
      List<SecretSource> secrets, Optional<Instant> timestamp) {
    return new BuildOptions(false, format, LayerCompression.GZIP, secrets, Map.of(), timestamp,
        Map.of(), isolation, RegistryOptions.DEFAULT);
  }

  private static List<String> flagValues(List<String> args, String flag) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equals(flag)) {
        out.add(args.get(i + 1));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------- detection

  @Test
  void detectionReportsTheVersionFound() {
    EngineAvailability a = engine().availability();
    assertTrue(a.usable());
    assertEquals("buildah 1.28.2 (" + tmp.resolve("bin/buildah") + ")", a.detail());
    assertEquals(List.of("version", "--json"), buildah.commands.get(0));
  }

  @Test
  void detectionFallsBackToVersionFlag() {
    buildah.fail("version", 125, "Error: unknown command \"version\" for \"buildah\"");
    buildah.versionText = "buildah version 1.30.0 (image-spec 1.1.0, runtime-spec 1.1.0)\n";
    EngineAvailability a = engine().availability();
    assertTrue(a.usable(), a.detail());
    assertTrue(a.detail().startsWith("buildah 1.30.0"), a.detail());
    assertEquals(List.of("--version"), buildah.commands.get(1));
  }

  @Test
  void tooOldBuildahIsUnusableWithInstallInstructions() {
    buildah.versionJson = "{\"version\": \"1.27.3\"}";
    EngineAvailability a = engine().availability();
    assertFalse(a.usable());
    assertEquals("buildah 1.27.3 at " + tmp.resolve("bin/buildah")
        + " is too old (1.28.0 or newer is needed)", a.detail());
    String hint = a.installHint().orElseThrow();
    for (String part : List.of("apt-get install buildah", "dnf install buildah",
        "pacman -S buildah", "podman machine", "--backend sandbox")) {
      assertTrue(hint.contains(part), hint);
    }
  }

  @Test
  void missingBuildahIsUnusable() throws Exception {
    settings = new BuildahSettings(Optional.empty(), tmp.resolve("nowhere").toString(), Map.of(),
        tmp.resolve("work"), tmp.resolve("cache"), true);
    EngineAvailability a = engine().availability();
    assertFalse(a.usable());
    assertEquals("buildah not found on PATH", a.detail());
    UsageException e = assertThrows(UsageException.class,
        () -> build("FROM busybox\n", BuildOptions.defaults()));
    assertEquals("the buildah backend cannot run here: buildah not found on PATH",
        e.getMessage());
    settings = new BuildahSettings(Optional.of(tmp.resolve("nope/buildah")), "", Map.of(),
        tmp.resolve("work"), tmp.resolve("cache"), true);
    assertEquals("ZLAYER_BUILDAH=" + tmp.resolve("nope/buildah") + " is not an executable file",
        engine().availability().detail());
  }

  @Test
  void buildahNeedsLinux() {
    EngineAvailability a = new BuildahBuildEngine(store, settings, buildah.runner, "Mac OS X")
        .availability();
    assertFalse(a.usable());
    assertEquals("buildah needs Linux (this is Mac OS X)", a.detail());
    assertTrue(a.installHint().orElseThrow().contains("podman machine"));
  }

  @Test
  void versionsParse() {
    assertEquals(Optional.of(new BuildahVersion(1, 28, 2)),
        BuildahVersion.parse("buildah version 1.28.2 (image-spec 1.1.0-rc2)"));
    assertEquals(Optional.of(new BuildahVersion(1, 33, 0)),
        BuildahVersion.parse("{\"version\": \"1.33\"}"));
    assertFalse(new BuildahVersion(1, 27, 9).isSupported());
    assertTrue(new BuildahVersion(2, 0, 0).isSupported());
    assertEquals(Optional.empty(), BuildahVersion.parse("no numbers here"));
  }

  // ------------------------------------------------------------------------------- commands

  @Test
  void runStepsGetExactEnvironmentUserWorkdirNetworkAndIsolation() throws Exception {
    build(String.join("\n",
        "FROM busybox",
        "ARG V=1",
        "ENV E=$V X='a$b'",
        "USER app",
        "WORKDIR /w",
        "RUN --network=none echo hi",
        ""), BuildOptions.defaults());
    List<String> from = buildah.calls("from").get(0);
    assertEquals(List.of("from", "--quiet", "--pull=never", "--http-proxy=false", "--format",
        "oci", "--name"), from.subList(0, 7));
    List<String> run = buildah.calls("run").get(0);
    assertEquals(List.of("chroot"), flagValues(run, "--isolation"));
    assertEquals(List.of("/w"), flagValues(run, "--workingdir"));
    assertEquals(List.of("app"), flagValues(run, "--user"));
    assertEquals(List.of("none"), flagValues(run, "--network"));
    assertEquals(List.of("buildkitsandbox"), flagValues(run, "--hostname"));
    // Docker's default capabilities, also those buildah's containers.conf lacks
    assertEquals(List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
        "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"),
        flagValues(run, "--cap-add"));
    assertEquals(List.of("PATH=/usr/bin:/bin", "BASE=1", "V=1", "E=1", "X=a$b"),
        flagValues(run, "--env"));
    assertEquals(List.of("--", "/bin/sh", "-c", "echo hi"),
        run.subList(run.indexOf("--"), run.size()));
    assertTrue(events.stream().anyMatch(e -> e instanceof BuildEvent.StepOutput o
        && o.line().equals("output of /bin/sh")));
  }

  @Test
  void isolationFormatAndTimestampFromTheOptions() throws Exception {
    Instant ts = Instant.ofEpochSecond(1_700_000_000L);
    BuiltImage built = build("FROM busybox\nRUN true\n",
        options(ImageFormat.DOCKER, Optional.of("oci"), List.of(), Optional.of(ts)));
    assertEquals(List.of("oci"), flagValues(buildah.calls("run").get(0), "--isolation"));
    assertEquals(List.of("0:0"), flagValues(buildah.calls("run").get(0), "--user"));
    assertEquals(List.of("docker"), flagValues(buildah.calls("from").get(0), "--format"));
    List<String> commit = buildah.calls("commit").get(0);
    assertEquals(List.of("commit", "--quiet", "--identity-label=false", "--format", "docker",
        "--timestamp", "1700000000"), commit.subList(0, 7));
    assertEquals(MediaTypes.DOCKER_MANIFEST, built.manifest().mediaType());
    assertEquals(Optional.of(ts), built.config().created());
  }

  @Test
  void scratchStagesForAnotherPlatformAskBuildahForIt() throws Exception {
    build("FROM scratch\nCOPY a /a\n", BuildOptions.defaults(), Platform.of("linux", "arm64"));
    List<String> from = buildah.calls("from").get(0);
    assertEquals(List.of("linux/arm64"), flagValues(from, "--platform"));
    assertEquals("scratch", from.get(from.size() - 1));
  }

  @Test
  void runMountsBecomeBuildahMounts() throws Exception {
    Files.writeString(context.resolve("src.txt"), "x");
    Path secretFile = tmp.resolve("secret.txt");
    Files.writeString(secretFile, "hush");
    build(String.join("\n",
        "FROM busybox AS other",
        "FROM busybox",
        "RUN --mount=type=bind,target=/ctx --mount=type=bind,from=other,source=/etc,target=/o"
            + " --mount=type=cache,target=/c,id=cid --mount=type=tmpfs,target=/t,size=1m"
            + " --mount=type=secret,id=s --mount=type=secret,id=s,env=S_ENV,target=/s2 true",
        ""), options(ImageFormat.OCI, Optional.empty(),
            List.of(new SecretSource.FromFile("s", secretFile)), Optional.empty()));
    List<String> run = buildah.calls("run").get(0);
    List<String> mounts = flagValues(run, "--mount");
    assertEquals(6, mounts.size(), mounts.toString());
    assertEquals("type=bind,source=" + context + ",destination=/ctx,ro", mounts.get(0));
    String otherImage = buildah.calls("pull").get(0).isEmpty() ? "" : mounts.get(1);
    assertTrue(otherImage.matches("type=bind,from=[0-9a-f]{64},source=/etc,destination=/o,ro"),
        otherImage);
    assertTrue(mounts.get(2).matches("type=bind,source=" + tmp.resolve("cache")
        + "/[0-9a-f]{24},destination=/c,rw"), mounts.get(2));
    assertEquals("type=tmpfs,destination=/t,tmpfs-size=1048576", mounts.get(3));
    assertTrue(mounts.get(4).endsWith("/value,destination=/run/secrets/s,ro"), mounts.get(4));
    assertTrue(mounts.get(5).endsWith("/value,destination=/s2,ro"), mounts.get(5));
    assertTrue(flagValues(run, "--env").contains("S_ENV=hush"));
    // the secret file and the workspace are gone after the build
    assertFalse(Files.exists(Path.of(mounts.get(4).substring("type=bind,source=".length(),
        mounts.get(4).indexOf(",destination")))));
  }

  @Test
  void sshMountsBindTheAgentSocketAndSetSshAuthSock() throws Exception {
    BuildOptions d = BuildOptions.defaults();
    build("FROM busybox\nRUN --mount=type=ssh ssh-add -l\n", new BuildOptions(false,
        ImageFormat.OCI, LayerCompression.GZIP, List.of(), Map.of("default", "/tmp/agent.sock"),
        Optional.empty(), Map.of(), Optional.empty(), d.registryOptions()));
    List<String> run = buildah.calls("run").get(0);
    assertEquals(List.of("type=bind,source=/tmp/agent.sock,destination=/run/buildkit/ssh_agent.0"
        + ",rw"), flagValues(run, "--mount"));
    assertTrue(flagValues(run, "--env").contains("SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0"));
  }

  @Test
  void settingsFollowTheEnvironment() {
    BuildahSettings s = BuildahSettings.fromEnvironment(Map.of("ZLAYER_BUILDAH",
        "/opt/buildah/bin/buildah", "ZLAYER_HOME", "/srv/zl", "PATH", "/x"), "/home/u", "u");
    assertEquals(Optional.of(Path.of("/opt/buildah/bin/buildah")), s.binary());
    assertEquals(Path.of("/srv/zl/cache/buildah"), s.cacheRoot());
    assertEquals("rootless", s.defaultIsolation());
    assertEquals("chroot", BuildahSettings.fromEnvironment(Map.of(), "/root", "root")
        .defaultIsolation());
  }

  @Test
  void aMissingRequiredSecretIsAnError() {
    BuildException e = assertThrows(BuildException.class, () -> build(
        "FROM busybox\nRUN --mount=type=secret,id=tok,required true\n",
        BuildOptions.defaults()));
    assertEquals("Dockerfile:2: secret tok is required but was not given", e.getMessage());
    assertEquals(Optional.of("pass it with --secret id=tok,src=FILE"), e.hint());
  }

  @Test
  void heredocScriptsAreBoundReadOnlyOutsideDevUnderChroot() throws Exception {
    build("FROM busybox\nRUN <<EOF\n#!/bin/sh\necho hi\nEOF\n", BuildOptions.defaults());
    List<String> run = buildah.calls("run").get(0);
    assertEquals("/run/zlayer-pipes/EOF", run.get(run.size() - 1));
    String mount = flagValues(run, "--mount").get(0);
    assertTrue(mount.endsWith(",destination=/run/zlayer-pipes/EOF,ro"), mount);
  }

  @Test
  void copyFlagsSourcesAndIgnoreFile() throws Exception {
    Files.writeString(context.resolve(".dockerignore"), "*.log\n");
    build(String.join("\n",
        "FROM busybox AS build",
        "RUN make",
        "FROM busybox",
        "COPY --chown=app:app --chmod=0640 a.txt ../b.txt /dst/",
        "COPY --from=build /out /out",
        "ADD https://example.com/x.tar.gz /x/",
        ""), BuildOptions.defaults());
    List<List<String>> copies = buildah.calls("copy");
    List<String> first = copies.get(0);
    assertEquals(List.of("copy", "--quiet", "--chown", "app:app", "--chmod", "0640",
        "--contextdir", context.toString(), "--ignorefile",
        context.resolve(".dockerignore").toString()), first.subList(0, 10));
    assertEquals(List.of(context.resolve("a.txt").toString(),
        context.resolve("b.txt").toString(), "/dst/"), first.subList(11, 14));
    List<String> second = copies.get(1);
    assertEquals(List.of("img1"), flagValues(second, "--from"));
    assertEquals(List.of("/out", "/out"), second.subList(second.size() - 2, second.size()));
    List<String> add = buildah.calls("add").get(0);
    assertEquals(List.of("https://example.com/x.tar.gz", "/x/"),
        add.subList(add.size() - 2, add.size()));
  }

  @Test
  void workdirCreatesTheDirectoryWithACopyOfAnEmptyDirectory() throws Exception {
    build("FROM busybox\nUSER 1000:1000\nWORKDIR /a/b\n", BuildOptions.defaults());
    List<String> copy = buildah.calls("copy").get(0);
    assertEquals(List.of("1000:1000"), flagValues(copy, "--chown"));
    assertEquals("/a/b", copy.get(copy.size() - 1));
    assertTrue(copy.get(copy.size() - 2).contains("/empty-"), copy.toString());
  }

  @Test
  void unsupportedCopyFlagsAreClearErrors() {
    UsageException e = assertThrows(UsageException.class, () -> build(
        "FROM busybox\nCOPY --parents a/b /x/\n", BuildOptions.defaults()));
    assertEquals("Dockerfile:2: COPY --parents is not supported by the buildah backend"
        + " (buildah 1.28)", e.getMessage());
    assertEquals(Optional.of("use --backend sandbox"), e.hint());
    e = assertThrows(UsageException.class, () -> build(
        "FROM busybox\nCOPY --chmod=u+x a /a\n", BuildOptions.defaults()));
    assertEquals("Dockerfile:2: COPY --chmod with a symbolic mode (u+x) is not supported by"
        + " the buildah backend (buildah 1.28)", e.getMessage());
    e = assertThrows(UsageException.class, () -> build(
        "FROM busybox\nCOPY --exclude=*.md . /x/\n", BuildOptions.defaults()));
    assertTrue(e.getMessage().contains("COPY --exclude is not supported"), e.getMessage());
  }

  @Test
  void configChangesAreAppliedBeforeEachCommit() throws Exception {
    build(String.join("\n",
        "FROM busybox",
        "ENV A=1",
        "LABEL l=v",
        "RUN true",
        "CMD [\"run\"]",
        "RUN true",
        ""), BuildOptions.defaults());
    List<List<String>> configs = buildah.calls("config");
    assertEquals(2, configs.size());
    assertEquals(List.of("config", "--env", "A=1", "--label", "l=v"),
        configs.get(0).subList(0, 5));
    assertEquals(List.of("config", "--cmd", "[\"run\"]"), configs.get(1).subList(0, 3));
    // one commit per RUN, each continued in a new container from the committed image
    assertEquals(2, buildah.calls("commit").size());
    assertEquals("img1", buildah.calls("from").get(1).get(buildah.calls("from").get(1).size()
        - 1));
  }

  @Test
  void theStoredImageHasTheEvaluatorsConfigAndBaseLayersAreReused() throws Exception {
    BuiltImage built = build("FROM busybox\nENV A=1\nRUN true\nEXPOSE 80\n",
        BuildOptions.defaults());
    ImageManifest m = (ImageManifest) ImageJson.parseManifest(
        store.readBlob(built.manifest().digest()), built.manifest().mediaType());
    assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    assertEquals(2, m.layers().size());
    // the base layer keeps its blob (a Docker gzip layer, renamed for the OCI manifest)
    ImageManifest base = (ImageManifest) ImageJson.parseManifest(store.readBlob(
        store.resolve(ImageReference.parse("busybox")).orElseThrow().digest()),
        MediaTypes.DOCKER_MANIFEST);
    assertEquals(base.layers().get(0).digest(), m.layers().get(0).digest());
    assertEquals(MediaTypes.OCI_LAYER_GZIP, m.layers().get(0).mediaType());
    assertTrue(store.hasBlob(m.layers().get(1).digest()));
    ImageConfig c = ImageJson.parseConfig(store.readBlob(m.config().digest()));
    assertEquals(List.of("PATH=/usr/bin:/bin", "BASE=1", "A=1"), c.config().env());
    assertEquals(List.of("80/tcp"), List.copyOf(c.config().exposedPorts()));
    assertEquals(List.of("base layer", "ENV A=1", "RUN /bin/sh -c true # buildkit",
        "EXPOSE [80/tcp]"), c.history().stream()
            .map(h -> h.createdBy().orElse("")).toList());
    assertEquals(List.of(false, true, false, true), c.history().stream()
        .map(HistoryEntry::emptyLayer).toList());
    assertEquals(3, built.steps());
  }

  @Test
  void baseImageOnbuildTriggersAreStrippedForBuildahAndRunAsSteps() throws Exception {
    baseImage("docker.io/library/parent:1", List.of("RUN echo trigger"));
    build("FROM parent:1\n", BuildOptions.defaults());
    // buildah from would run the triggers itself: the image it gets has none
    String pulledName = buildah.calls("pull").get(0).get(4).substring(4);
    assertFalse(buildah.calls("tag").stream().anyMatch(t -> t.contains(
        "docker.io/library/parent:1")), "a changed image is not tagged with the real name");
    assertTrue(pulledName.contains("image-"));
    List<String> run = buildah.calls("run").get(0);
    assertEquals(List.of("/bin/sh", "-c", "echo trigger"),
        run.subList(run.indexOf("--") + 1, run.size()));
  }

  @Test
  void independentStagesOfAWaveAreBuiltAndUsedByTheLastStage() throws Exception {
    String dockerfile = String.join("\n",
        "FROM busybox AS a",
        "RUN echo a",
        "FROM busybox AS b",
        "RUN echo b",
        "FROM busybox",
        "COPY --from=a /x /x",
        "COPY --from=b /y /y",
        "");
    assertEquals(List.of(List.of(0, 1), List.of(2)), BuildPlanner.plan(BuildPlanRequest.of(
        dockerfile, AMD64)).waves());
    build(dockerfile, BuildOptions.defaults());
    List<String> froms = buildah.calls("copy").stream()
        .map(c -> flagValues(c, "--from").get(0)).sorted().toList();
    assertEquals(List.of("img1", "img2"), froms);
    assertEquals(1, buildah.calls("pull").size(), "the shared base is handed over once");
  }

  // ------------------------------------------------------------------------------- failures

  @Test
  void aFailureInAParallelStageStopsTheBuildAndCleansUp() {
    buildah.fail("run", 2, "Error: exit status 2");
    BuildException e = assertThrows(BuildException.class, () -> build(String.join("\n",
        "FROM busybox AS a",
        "RUN echo a",
        "FROM busybox AS b",
        "RUN echo b",
        "FROM scratch",
        "COPY --from=a /x /x",
        "COPY --from=b /y /y",
        ""), BuildOptions.defaults()));
    assertTrue(e.getMessage().matches("Dockerfile:[24]: RUN echo [ab]: exit code 2"),
        e.getMessage());
    assertCleanedUp();
  }

  @Test
  void aFailingRunNamesTheInstructionAndCleansUp() {
    buildah.fail("run", 1, "subprocess exited with status 1", "Error: exit status 1");
    BuildException e = assertThrows(BuildException.class,
        () -> build("FROM busybox\nRUN true\nRUN false\n", BuildOptions.defaults()));
    // the first RUN is failed too here, as the fake fails every run
    assertEquals("Dockerfile:2: RUN true: exit code 1", e.getMessage());
    assertEquals(1, e.exitCode());
    assertCleanedUp();
    assertTrue(events.stream().anyMatch(ev -> ev instanceof BuildEvent.StepFailed f
        && f.message().equals("Dockerfile:2: RUN true: exit code 1")));
  }

  @Test
  void aFailingCopyCarriesBuildahsMessage() {
    buildah.fail("copy", 125, "Error: checking on sources under \"/ctx\": copier: stat:"
        + " \"/missing\": no such file or directory");
    BuildException e = assertThrows(BuildException.class,
        () -> build("FROM busybox\nRUN true\nCOPY missing /x\n", BuildOptions.defaults()));
    assertEquals("Dockerfile:3: COPY missing /x: checking on sources under \"/ctx\": copier:"
        + " stat: \"/missing\": no such file or directory", e.getMessage());
    assertCleanedUp();
    assertTrue(buildah.calls("rmi").contains(List.of("rmi", "img1")));
  }

  @Test
  void interruptionRemovesContainersAndImagesAndKeepsTheInterrupt() throws Exception {
    buildah.interrupt("copy");
    Thread.interrupted();
    assertThrows(InterruptedException.class,
        () -> build("FROM busybox\nRUN true\nCOPY a /a\n", BuildOptions.defaults()));
    assertCleanedUp();
    assertFalse(Thread.currentThread().isInterrupted(), "the exception carries the interrupt");
  }

  private void assertCleanedUp() {
    List<String> created = buildah.calls("from").stream().map(f -> f.get(f.indexOf("--name")
        + 1)).toList();
    List<String> removed = buildah.calls("rm").stream().map(r -> r.get(1)).toList();
    assertTrue(removed.containsAll(created), created + " vs " + removed);
    List<String> committed = new ArrayList<>();
    for (int i = 1; i <= buildah.calls("commit").size(); i++) {
      committed.add("img" + i);
    }
    List<String> rmis = buildah.calls("rmi").stream().map(r -> r.get(1)).toList();
    assertTrue(rmis.containsAll(committed), committed + " vs " + rmis);
    assertFalse(Files.exists(tmp.resolve("work")) && tmp.resolve("work").toFile()
        .list().length > 0, "workspace removed");
  }
}
