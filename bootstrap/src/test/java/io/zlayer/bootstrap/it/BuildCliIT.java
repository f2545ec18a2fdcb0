package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.testing.LocalRegistry;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code zlayer build} end to end as a user runs it: the real jar, a busybox base image in its
 * store, both backends, every progress view (the tty one in a real pseudo-terminal), the build
 * cache, failures, Ctrl-C, pushing to a registry that buildah then pulls and runs from, and
 * reproducible images.
 */
class BuildCliIT {
  private static final String DOCKERFILE = String.join("\n",
      "FROM busybox AS base",
      "ENV GREETING=hello",
      "COPY a.txt /a.txt",
      "RUN echo \"$GREETING from $(cat /a.txt)\" > /built.txt",
      "",
      "FROM busybox",
      "COPY --from=base /built.txt /built.txt",
      "COPY b.txt /b.txt",
      "RUN cat /built.txt /b.txt > /all.txt",
      "CMD [\"cat\", \"/all.txt\"]",
      "");
  private static final String ALL_TXT = "hello from A\nB\n";
  private static final Pattern STEP_HEADER =
      Pattern.compile("^#(\\d+) (\\[(base|stage-1) (\\d+)/(\\d+)\\]) ?(.*)$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalRegistry registry;

  @TempDir Path dir;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.start(false);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  // ------------------------------------------------------------------ output of a build

  @ParameterizedTest
  @ValueSource(strings = {"sandbox", "buildah"})
  void plainProgressShowsEveryStepAndTheSummary(String backend) throws Exception {
    ZlayerJar zlayer = jar(backend, "home");
    Path context = context(dir.resolve("ctx"));
    ZlayerJar.Result r = zlayer.run("build", "--backend", backend, "--progress", "plain",
        "-t", "cli/app:1", context.toString()).ok();
    Map<Integer, String> headers = stepHeaders(r.err());
    Map<Integer, String> ends = stepEnds(r.err());
    assertTrue(headers.values().stream().anyMatch(h -> h.matches(
        "\\[base \\d/3\\] RUN echo \"\\$GREETING from \\$\\(cat /a.txt\\)\" > /built.txt")),
        r.err());
    assertTrue(headers.values().stream().anyMatch(h -> h.matches(
        "\\[stage-1 \\d/4\\] COPY --from=base /built.txt /built.txt")), r.err());
    assertTrue(headers.values().stream().anyMatch(h -> h.matches(
        "\\[stage-1 \\d/4\\] RUN cat /built.txt /b.txt > /all.txt")), r.err());
    assertEquals(headers.keySet(), ends.keySet(), "every step ends:\n" + r.err());
    // the sandbox unpacks busybox once: the second stage's FROM finds it done
    int cachedFrom = backend.equals("sandbox") ? 1 : 0;
    for (Map.Entry<Integer, String> end : ends.entrySet()) {
      String header = headers.get(end.getKey());
      assertTrue(end.getValue().matches("DONE \\d+\\.\\ds") || cachedFrom == 1
          && header.equals("[stage-1 1/4] FROM busybox") && end.getValue().equals("CACHED"),
          header + " ended " + end.getValue() + ":\n" + r.err());
    }
    String id = r.out().strip();
    assertTrue(id.matches("sha256:[0-9a-f]{64}"), r.out());
    assertSummary(r.err(), id, 7, cachedFrom);
    assertTrue(r.err().contains("\n  tagged    cli/app:1\n"), r.err());
    if (backend.equals("buildah")) {
      return; // buildah has no step cache of its own
    }
    ZlayerJar.Result again = zlayer.run("build", "--backend", backend, "--progress", "plain",
        "-t", "cli/app:1", context.toString()).ok();
    assertEquals(id, again.out().strip(), "a rebuild from the cache is the same image");
    assertEquals(headers.values().stream().sorted().toList(),
        stepHeaders(again.err()).values().stream().sorted().toList(),
        "cached steps are announced with their instruction, as BuildKit does");
    assertTrue(stepEnds(again.err()).values().stream().allMatch("CACHED"::equals),
        again.err());
    assertSummary(again.err(), id, 7, 7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sandbox", "buildah"})
  void rawJsonIsOneDocumentedObjectPerLine(String backend) throws Exception {
    ZlayerJar zlayer = jar(backend, "home");
    Path context = context(dir.resolve("ctx"));
    ZlayerJar.Result r = zlayer.run("build", "--backend", backend, "--progress", "rawjson",
        "-t", "cli/app:1", context.toString()).ok();
    List<JsonNode> events = jsonLines(r.err());
    Map<String, List<String>> byStep = eventsByStep(events);
    assertEquals(7, byStep.size(), r.err());
    for (Map.Entry<String, List<String>> step : byStep.entrySet()) {
      List<String> types = step.getValue().stream().filter(t -> !t.equals("step.output"))
          .toList();
      List<String> expected = backend.equals("sandbox") && step.getKey().equals("1.1")
          ? List.of("step.started", "step.cached") : List.of("step.started", "step.finished");
      assertEquals(expected, types, step.getKey());
    }
    assertTrue(events.stream().anyMatch(e -> e.get("type").asText().equals("step.started")
        && e.get("text").asText().equals("RUN cat /built.txt /b.txt > /all.txt")
        && e.get("step").get("stage").asText().equals("stage-1")
        && e.get("step").get("line").asInt() == 9), r.err());
    JsonNode summary = events.get(events.size() - 1);
    assertEquals("build.summary", summary.get("type").asText());
    assertEquals(r.out().strip(), summary.get("imageId").asText());
    assertTrue(summary.get("digest").asText().matches("sha256:[0-9a-f]{64}"));
    assertEquals("docker.io/cli/app:1", summary.get("tags").get(0).asText());
    assertEquals(7, summary.get("steps").asInt());
    assertEquals(backend.equals("sandbox") ? 1 : 0, summary.get("cachedSteps").asInt());
    assertTrue(summary.get("size").asLong() > 100_000);
    if (backend.equals("sandbox")) {
      ZlayerJar.Result cached = zlayer.run("build", "--backend", backend, "--progress",
          "rawjson", context.toString()).ok();
      List<JsonNode> again = jsonLines(cached.err());
      for (Map.Entry<String, List<String>> step : eventsByStep(again).entrySet()) {
        assertEquals(List.of("step.started", "step.cached"), step.getValue(), step.getKey());
      }
      assertEquals(7, again.get(again.size() - 1).get("cachedSteps").asInt());
    }
  }

  @Test
  void runOutputIsReportedPerStep() throws Exception {
    ZlayerJar zlayer = jar("sandbox", "home");
    Path context = Files.createDirectories(dir.resolve("out"));
    Files.writeString(context.resolve("Dockerfile"),
        "FROM busybox\nRUN echo to-stdout; echo to-stderr >&2\n");
    List<JsonNode> events = jsonLines(zlayer.run("build", "--backend", "sandbox", "--progress",
        "rawjson", context.toString()).ok().err());
    List<String> outputs = events.stream()
        .filter(e -> e.get("type").asText().equals("step.output"))
        .map(e -> e.get("stream").asText() + ":" + e.get("text").asText()).sorted().toList();
    assertEquals(List.of("stderr:to-stderr", "stdout:to-stdout"), outputs);
  }

  // ------------------------------------------------------------------ the build cache

  @Test
  void cacheSurvivesTouchAndBustsFromTheChangedCopyOn() throws Exception {
    ZlayerJar zlayer = jar("sandbox", "home");
    Path context = context(dir.resolve("ctx"));
    String first = zlayer.run("build", "--backend", "sandbox", "-q", context.toString()).ok()
        .out().strip();
    try (Stream<Path> files = Files.list(context)) {
      for (Path f : files.toList()) {
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(3600)));
      }
    }
    ZlayerJar.Result touched = zlayer.run("build", "--backend", "sandbox", "--progress",
        "plain", context.toString()).ok();
    assertEquals(first, touched.out().strip(), "touching files changes nothing");
    assertTrue(stepEnds(touched.err()).values().stream().allMatch("CACHED"::equals),
        touched.err());

    Files.writeString(context.resolve("b.txt"), "changed\n");
    ZlayerJar.Result changed = zlayer.run("build", "--backend", "sandbox", "--progress",
        "plain", context.toString()).ok();
    Map<String, String> endByStep = new LinkedHashMap<>();
    Map<Integer, String> ends = stepEnds(changed.err());
    stepHeaders(changed.err()).forEach((n, h) -> endByStep.put(h, ends.get(n).split(" ")[0]));
    assertEquals("CACHED", endByStep.get("[stage-1 2/4] COPY --from=base /built.txt /built.txt"),
        changed.err());
    assertEquals("DONE", endByStep.get("[stage-1 3/4] COPY b.txt /b.txt"), changed.err());
    assertEquals("DONE", endByStep.get("[stage-1 4/4] RUN cat /built.txt /b.txt > /all.txt"),
        changed.err());
    assertEquals(5, endByStep.values().stream().filter("CACHED"::equals).count(),
        changed.err());
    assertFalse(changed.out().strip().equals(first));
  }

  // ------------------------------------------------------------------ the tty view

  @Test
  void ttyViewInARealTerminal() throws Exception {
    ZlayerJar zlayer = jar("sandbox", "home");
    Path context = context(dir.resolve("ctx"));
    try (TmuxPane pane = TmuxPane.start(100, 30, ttyScript(zlayer, context, "t:1"))) {
      List<String> screen = pane.waitFor("EXIT=", 300);
      String text = String.join("\n", screen);
      assertTrue(screen.contains("EXIT=0"), text);
      assertTrue(screen.stream().anyMatch(l -> l.matches(
          "\\[\\+\\] Building t:1 \\d+\\.\\ds \\(7/7\\) FINISHED")), text);
      assertTrue(screen.stream().anyMatch(l -> l.matches(
          " => \\[stage-1 4/4\\] RUN cat /built.txt /b.txt > /all.txt +\\d+\\.\\ds")), text);
      assertTrue(screen.stream().anyMatch(l -> l.startsWith("built ")), text);
      assertNoGarbage(screen, 100);
    }
    // cached steps: BuildKit's " => CACHED [stage 2/4] COPY …" rows
    try (TmuxPane pane = TmuxPane.start(100, 30, ttyScript(zlayer, context, "t:1"))) {
      List<String> screen = pane.waitFor("EXIT=", 300);
      String text = String.join("\n", screen);
      assertTrue(screen.stream().anyMatch(l -> l.matches(
          " => CACHED \\[stage-1 3/4\\] COPY b.txt /b.txt +\\d+\\.\\ds")), text);
      assertNoGarbage(screen, 100);
    }
  }

  @Test
  void ttyViewInANarrowTerminal() throws Exception {
    ZlayerJar zlayer = jar("sandbox", "home");
    Path context = context(dir.resolve("ctx"));
    try (TmuxPane pane = TmuxPane.start(40, 30, ttyScript(zlayer, context, "t:1"))) {
      List<String> screen = pane.waitFor("EXIT=", 300);
      String text = String.join("\n", screen);
      assertTrue(screen.contains("EXIT=0"), text);
      assertTrue(screen.stream().anyMatch(l -> l.contains("FINISHED")), text);
      assertTrue(screen.stream().anyMatch(l -> l.startsWith(" => [stage-1 4/4] RUN cat")
          && l.contains("\u2026")), "the instruction is shortened:\n" + text);
      assertNoGarbage(screen, 40);
    }
  }

  /** A shell command for tmux: the build in tty mode, then its exit status, then a pause. */
  private String ttyScript(ZlayerJar zlayer, Path context, String tag) throws IOException {
    Path script = dir.resolve("tty-" + UUID.randomUUID() + ".sh");
    StringBuilder sb = new StringBuilder("#!/bin/sh\nunset CI ZLAYER_PROGRESS NO_COLOR\n");
    zlayer.command().environment().forEach((k, v) -> {
      if (k.startsWith("ZLAYER_") || k.startsWith("CONTAINERS_") || k.equals("STORAGE_DRIVER")
          || k.equals("LC_ALL")) {
        sb.append("export ").append(k).append("='").append(v).append("'\n");
      }
    });
    List<String> cmd = zlayer.command("build", "--backend", "sandbox", "--progress", "tty",
        "-t", tag, context.toString()).command();
    sb.append(String.join(" ", cmd.stream().map(a -> "'" + a + "'").toList()))
        .append(" >/dev/null\necho \"EXIT=$?\"\nsleep 600\n");
    Files.writeString(script, sb.toString(), StandardCharsets.UTF_8);
    return "sh " + script;
  }

  private static void assertNoGarbage(List<String> screen, int columns) {
    String text = String.join("\n", screen);
    for (String line : screen) {
      assertTrue(line.length() <= columns, "wider than the terminal: " + line + "\n" + text);
      assertFalse(line.contains("\u001b") || line.contains("[?25") || line.contains("[2K")
          || line.matches(".*\\[\\d+A.*"), "escape sequence remains: " + line + "\n" + text);
    }
    assertEquals(1, screen.stream().filter(l -> l.startsWith("[+] Building")).count(),
        "the view is drawn in place, not repeated:\n" + text);
  }

  // ------------------------------------------------------------------ failures

  @ParameterizedTest
  @ValueSource(strings = {"sandbox", "buildah"})
  void aFailingRunNamesItsLineOutputAndExitCode(String backend) throws Exception {
    ZlayerJar zlayer = jar(backend, "home");
    Path context = Files.createDirectories(dir.resolve("fail"));
    Files.writeString(context.resolve("Dockerfile"),
        "FROM busybox\nRUN echo boom >&2; exit 3\n");
    ZlayerJar.Result r = zlayer.run("build", "--backend", backend, context.toString())
        .userError();
    String error = r.errorLine();
    assertTrue(error.contains("Dockerfile:2") && error.contains("RUN echo boom >&2; exit 3"),
        r.err());
    assertTrue(error.contains("exit code 3") || error.contains("exit code: 3"), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.endsWith(" boom")), r.err());
    assertFalse(r.err().contains("at io.zlayer") || r.err().contains("Exception"), r.err());
    ZlayerJar.Result quiet = zlayer.run("build", "--backend", backend, "--progress", "quiet",
        context.toString()).userError();
    assertTrue(quiet.errorLine().contains("exit code"), quiet.err());
  }

  @Test
  void missingBuildahIsOneLineWithInstallInstructions() throws Exception {
    ZlayerJar zlayer = jar("sandbox", "home").env("ZLAYER_BUILDAH", "/nonexistent/buildah");
    Path context = context(dir.resolve("ctx"));
    ZlayerJar.Result r = zlayer.run("build", "--backend", "buildah", context.toString())
        .userError();
    assertTrue(r.errorLine().contains("buildah") && r.errorLine().contains("/nonexistent"),
        r.err());
    for (String platform : List.of("apt-get install buildah", "Debian/Ubuntu",
        "dnf install buildah", "Fedora/RHEL", "pacman -S buildah", "Arch", "macOS")) {
      assertTrue(r.err().contains(platform), platform + " missing:\n" + r.err());
    }
  }

  @Test
  void badFlagsMissingContextAndUnknownBaseAreOneLine() throws Exception {
    ZlayerJar zlayer = jar("sandbox", "home");
    Path context = context(dir.resolve("ctx"));
    String ctx = context.toString();
    assertTrue(zlayer.run("build", "--no-such-flag", ctx).userError().errorLine()
        .contains("--no-such-flag"));
    assertTrue(zlayer.run("build", "--backend", "nope", ctx).userError().errorLine()
        .contains("nope"));
    assertTrue(zlayer.run("build", "--progress", "fancy", ctx).userError().errorLine()
        .contains("fancy"));
    assertTrue(zlayer.run("build", "--compression", "zstd", "--format", "docker", ctx)
        .userError().errorLine().contains("--format oci"));
    assertTrue(zlayer.run("build", dir.resolve("nowhere").toString()).userError().errorLine()
        .contains("nowhere"));
    assertTrue(zlayer.run("build", "-f", dir.resolve("nowhere.Dockerfile").toString(), ctx)
        .userError().errorLine().contains("nowhere.Dockerfile"));
    Path unknown = Files.createDirectories(dir.resolve("unknown"));
    String missing = registry.host() + "/no/such-image:1";
    Files.writeString(unknown.resolve("Dockerfile"), "FROM " + missing + "\nRUN true\n");
    for (String backend : List.of("sandbox", "buildah")) {
      if (backend.equals("buildah") && RealParts.find("buildah") == null) {
        continue;
      }
      ZlayerJar.Result r = zlayer.run("build", "--backend", backend, unknown.toString())
          .userError();
      assertTrue(r.errorLine().contains("no/such-image"), r.err());
    }
    ZlayerJar.Result never = zlayer.run("build", "--pull", "never", "--backend", "sandbox",
        unknown.toString()).userError();
    assertTrue(never.errorLine().contains("no/such-image"), never.err());
  }

  // ------------------------------------------------------------------ Ctrl-C

  @ParameterizedTest
  @ValueSource(strings = {"sandbox", "buildah"})
  void ctrlCStopsTheBuildAndLeavesNothingBehind(String backend) throws Exception {
    ZlayerJar zlayer = jar(backend, "home");
    Path context = Files.createDirectories(dir.resolve("slow"));
    Files.writeString(context.resolve("Dockerfile"),
        "FROM busybox\nRUN echo \"sigint\"\"-ready\"; sleep 60\n");
    // a shell started in the background ignores SIGINT and its children inherit that; perl
    // restores the default so the JVM installs its handler, as in an interactive shell
    ProcessBuilder pb = zlayer.command("build", "--backend", backend, "--progress", "plain",
        context.toString());
    List<String> cmd = new ArrayList<>(List.of(RealParts.require("perl").toString(), "-e",
        "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!"));
    cmd.addAll(pb.command());
    Path err = dir.resolve("ctrl-c.err");
    Process p = pb.command(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    Pattern ready = Pattern.compile("#\\d+ [\\d.]+ sigint-ready");
    while (Files.readString(err).lines().noneMatch(l -> ready.matcher(l).matches())) {
      assertTrue(p.isAlive(), "the build ended early:\n" + Files.readString(err));
      assertTrue(System.nanoTime() < deadline, "the RUN never started:\n" + Files.readString(err));
      Thread.sleep(100);
    }
    List<ProcessHandle> children = p.descendants().toList();
    assertTrue(children.stream().anyMatch(c -> c.info().command().orElse("").endsWith("sleep")
        || c.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("sleep")),
        "the RUN's sleep runs under zlayer");
    long sent = System.nanoTime();
    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor(10,
        TimeUnit.SECONDS);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "zlayer did not stop after SIGINT");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sent);
    String stderr = Files.readString(err);
    assertEquals(130, p.exitValue(), stderr);
    assertTrue(seconds <= 10, "stopping took " + seconds + "s");
    assertTrue(stderr.contains("error: interrupted"), stderr);
    assertTrue(stderr.lines().anyMatch(l -> l.matches("#\\d+ CANCELED")), stderr);
    assertFalse(stderr.contains("at io.zlayer") || stderr.contains("Exception"), stderr);
    for (ProcessHandle child : children) {
      child.onExit().get(10, TimeUnit.SECONDS);
      assertFalse(child.isAlive(), "left running: " + child.info());
    }
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    assertFalse(mounts.contains(dir.toString()), "mounts left under the build:\n" + mounts);
    if (backend.equals("buildah")) {
      assertEquals("", storage("home").buildah("containers", "--quiet").strip(),
          "no buildah container is left");
    }
    ZlayerJar.Result images = zlayer.run("images").ok();
    assertTrue(images.out().contains("busybox"), images.out());
  }

  // ------------------------------------------------------------------ push, buildah pulls

  @Test
  void pushedImagesArePulledAndRunByBuildah() throws Exception {
    RealParts.require("skopeo");
    ZlayerJar zlayer = jar("sandbox", "home");
    Path context = context(dir.resolve("ctx"));
    String pushed = registry.host() + "/cli/pushed:1";
    ZlayerJar.Result built = zlayer.run("build", "--backend", "sandbox", "-t", pushed,
        "--push", context.toString()).ok();
    assertTrue(built.out().contains("pushed " + pushed + "@sha256:"), built.out());
    String copy = registry.host() + "/cli/copied:2";
    zlayer.run("tag", pushed, copy).ok();
    zlayer.run("push", copy).ok();
    BuildahStorage storage = BuildahStorage.in(dir.resolve("reader"));
    String skopeo = RealParts.require("skopeo").toString();
    for (String ref : List.of(pushed, copy)) {
      JsonNode inspect = JSON.readTree(RealParts.run(null, skopeo, "inspect",
          "--tls-verify=false", "docker://" + ref));
      assertEquals(4, inspect.get("Layers").size(), inspect.toString());
      JsonNode config = JSON.readTree(RealParts.run(null, skopeo, "inspect", "--config",
          "--tls-verify=false", "docker://" + ref));
      assertEquals("[\"cat\",\"/all.txt\"]", config.get("config").get("Cmd").toString());
      String ctr = storage.buildah("from", "--quiet", "--tls-verify=false",
          "docker://" + ref).strip();
      try {
        assertEquals(ALL_TXT, storage.buildah("run", "--isolation", "chroot", ctr, "--",
            "cat", "/all.txt"));
      } finally {
        storage.buildah("rm", ctr);
      }
    }
  }

  @Test
  void buildahBackendImagesArePushedAndPulledBack() throws Exception {
    ZlayerJar zlayer = jar("buildah", "home");
    Path context = context(dir.resolve("ctx"));
    String pushed = registry.host() + "/cli/from-buildah:1";
    zlayer.run("build", "--backend", "buildah", "-t", pushed, context.toString()).ok();
    zlayer.run("push", pushed).ok();
    BuildahStorage storage = BuildahStorage.in(dir.resolve("reader"));
    String ctr = storage.buildah("from", "--quiet", "--tls-verify=false", "docker://" + pushed)
        .strip();
    assertEquals(ALL_TXT, storage.buildah("run", "--isolation", "chroot", ctr, "--", "cat",
        "/all.txt"));
    storage.buildah("rm", ctr);
  }

  // ------------------------------------------------------------------ reproducibility

  @Test
  void sameSourcesGiveTheSameDigestAnywhere() throws Exception {
    String viaEnv = reproducibleDigest("sandbox", "one", true);
    String viaFlag = reproducibleDigest("sandbox", "two", false);
    assertEquals(viaEnv, viaFlag);
  }

  @Test
  void buildahBackendReproducibleWithATimestamp() throws Exception {
    String first = reproducibleDigest("buildah", "one", false);
    String second = reproducibleDigest("buildah", "two", false);
    assertEquals(first, second);
  }

  /**
   * Builds the test Dockerfile in a fresh home from a fresh context at another path, whose
   * files have other mtimes, with time 1700000000 from SOURCE_DATE_EPOCH or --timestamp.
   */
  private String reproducibleDigest(String backend, String name, boolean fromEnvironment)
      throws Exception {
    ZlayerJar zlayer = jar(backend, "home-" + name);
    Path context = context(dir.resolve("context-" + name + "/deeper"));
    Instant mtime = Instant.parse(name.equals("one") ? "2001-01-01T00:00:00Z"
        : "2022-02-02T02:02:02Z");
    try (Stream<Path> files = Files.list(context)) {
      for (Path f : files.toList()) {
        Files.setLastModifiedTime(f, FileTime.from(mtime));
      }
    }
    List<String> args = new ArrayList<>(List.of("build", "--backend", backend, "--progress",
        "rawjson", "-t", "repro:1", context.toString()));
    if (fromEnvironment) {
      zlayer.env("SOURCE_DATE_EPOCH", "1700000000");
    } else {
      args.add(1, "--timestamp=1700000000");
    }
    ZlayerJar.Result r = zlayer.run(args.toArray(new String[0])).ok();
    List<JsonNode> events = jsonLines(r.err());
    String inspect = zlayer.run("inspect", "repro:1").ok().out();
    assertTrue(inspect.contains("2023-11-14T22:13:20Z"), "created is the timestamp:\n"
        + inspect);
    return events.get(events.size() - 1).get("digest").asText();
  }

  // ------------------------------------------------------------------ helpers

  /** A jar with its own home holding busybox; for buildah, a private storage too. */
  private ZlayerJar jar(String backend, String name) throws Exception {
    Path home = dir.resolve(name);
    BusyboxImage.writeInto(new OciLayoutStore(home.resolve("store")),
        ImageReference.parse("busybox"), Files.createDirectories(dir.resolve(name + "-fixture")));
    ZlayerJar zlayer = new ZlayerJar(home);
    if (backend.equals("buildah")) {
      storage(name).configure(zlayer);
    }
    return zlayer;
  }

  /** The private buildah storage of the jar made by {@code jar("buildah", name)}. */
  private BuildahStorage storage(String name) throws IOException {
    return BuildahStorage.in(dir.resolve(name + "-buildah"));
  }

  private static Path context(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("Dockerfile"), DOCKERFILE, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("a.txt"), "A\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("b.txt"), "B\n", StandardCharsets.UTF_8);
    return dir;
  }

  /** Step number → {@code [stage i/n] INSTRUCTION}, from plain progress. */
  private static Map<Integer, String> stepHeaders(String plain) {
    Map<Integer, String> headers = new LinkedHashMap<>();
    for (String line : plain.lines().toList()) {
      Matcher m = STEP_HEADER.matcher(line);
      if (m.matches()) {
        headers.put(Integer.parseInt(m.group(1)), m.group(2) + " " + m.group(6));
      }
    }
    return headers;
  }

  /** Step number → {@code DONE 0.1s} or {@code CACHED}, from plain progress. */
  private static Map<Integer, String> stepEnds(String plain) {
    Map<Integer, String> ends = new LinkedHashMap<>();
    Pattern end = Pattern.compile("^#(\\d+) (DONE .*|CACHED|ERROR: .*)$");
    for (String line : plain.lines().toList()) {
      Matcher m = end.matcher(line);
      if (m.matches()) {
        ends.put(Integer.parseInt(m.group(1)), m.group(2));
      }
    }
    return ends;
  }

  private static void assertSummary(String plain, String id, int steps, int cached) {
    String hex = id.substring("sha256:".length(), "sha256:".length() + 12);
    assertTrue(plain.lines().anyMatch(l -> l.matches("built " + hex + " in \\d+\\.\\ds \\("
        + steps + " steps, " + cached + " cached\\)")), plain);
    assertTrue(plain.contains("\n  image id  " + id + "\n"), plain);
    assertTrue(plain.lines().anyMatch(l -> l.matches("  digest    sha256:[0-9a-f]{64}")), plain);
    assertTrue(plain.lines().anyMatch(l -> l.matches("  size      \\d+(\\.\\d+)?[kM]?B")),
        plain);
  }

  /** Every line of stderr parsed as JSON, each checked against docs/progress-json.md. */
  private static List<JsonNode> jsonLines(String stderr) throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "progress-json.md"));
    List<JsonNode> events = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      JsonNode node = JSON.readTree(line);
      assertTrue(node.isObject() && node.has("type") && node.has("time"), line);
      String type = node.get("type").asText();
      assertTrue(doc.contains("### `" + type + "`"), "undocumented event type: " + line);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        assertTrue(doc.contains("`" + field + "`"), "undocumented field " + field + ": " + line);
      }
      assertTrue(node.get("time").asText().matches(
          "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line);
      events.add(node);
    }
    return events;
  }

  /** Per step id, the types of its events in order. */
  private static Map<String, List<String>> eventsByStep(List<JsonNode> events) {
    Map<String, List<String>> byStep = new LinkedHashMap<>();
    for (JsonNode e : events) {
      if (e.has("step")) {
        byStep.computeIfAbsent(e.get("step").get("id").asText(), k -> new ArrayList<>())
            .add(e.get("type").asText());
      }
    }
    return byStep;
  }
}
