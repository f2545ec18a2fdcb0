package io.zlayer.domain.zimage;

import static io.zlayer.domain.zimage.Trees.list;
import static io.zlayer.domain.zimage.Trees.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ZImageParserTest {
  private static final YamlSource SOURCE = YamlSource.named("ZImagefile");

  private static ZImage parse(Object tree) throws DockerfileException {
    return ZImageParser.parse(tree, SOURCE);
  }

  private static String error(Object tree) {
    return assertThrows(DockerfileException.class, () -> parse(tree)).getMessage();
  }

  private static Map<String, Object> single(Object... steps) {
    return map("base", "alpine:3.20", "steps", list(steps));
  }

  @Test
  void singleStageFromTheReadme() throws Exception {
    ZImage image = parse(map(
        "base", "alpine:3.19",
        "steps", list(
            map("run", "apk add --no-cache curl"),
            map("copy", "app.sh", "to", "/usr/local/bin/app.sh", "chmod", "755"),
            map("workdir", "/app")),
        "env", map("NODE_ENV", "production"),
        "expose", 8080L,
        "cmd", list("./app.sh")));
    ZImageMode.SingleStage mode = assertInstanceOf(ZImageMode.SingleStage.class, image.mode());
    assertEquals(new BaseImage.Image("alpine:3.19"), mode.base());
    assertEquals(List.of(
        new ZStep.Run(new ZCommand.Shell("apk add --no-cache curl"), List.of()),
        new ZStep.Copy(List.of("app.sh"), "/usr/local/bin/app.sh", Optional.empty(),
            Optional.empty(), Optional.of("755")),
        new ZStep.Workdir("/app")), mode.steps());
    assertEquals(Map.of("NODE_ENV", "production"), image.settings().env());
    assertEquals(List.of("8080/tcp"), image.settings().expose());
    assertEquals(Optional.of(new ZCommand.Exec(List.of("./app.sh"))), image.settings().cmd());
  }

  @Test
  void multiStageKeepsStageOrder() throws Exception {
    ZImage image = parse(map("version", "1", "stages", map(
        "builder", map("base", "node:22-alpine", "workdir", "/src",
            "steps", list(map("run", "npm ci"))),
        "runtime", map("base", "node:22-alpine",
            "steps", list(map("copy", "dist", "from", "builder", "to", "/app"))))));
    ZImageMode.MultiStage mode = assertInstanceOf(ZImageMode.MultiStage.class, image.mode());
    assertEquals(List.of("builder", "runtime"), mode.stages().stream().map(ZStage::name)
        .toList());
    assertEquals(Optional.of("/src"), mode.stages().get(0).settings().workdir());
    assertEquals(Optional.of("builder"),
        ((ZStep.Copy) mode.stages().get(1).steps().get(0)).from());
  }

  @Test
  void unknownStepFieldNamesFileLineAndPath() {
    Map<String, Object> tree = map("stages", map("builder", map("base", "alpine",
        "steps", list(map("run", "a"), map("run", "b"), map("rnu", "make")))));
    YamlSource source = new YamlSource("ZImagefile",
        Map.of("stages.builder.steps[2]", 11, "stages.builder.steps[2].rnu", 12));
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> ZImageParser.parse(tree, source));
    assertEquals("ZImagefile:12: stages.builder.steps[2]: unknown field \"rnu\" (did you mean "
        + "run?)", e.getMessage());
  }

  @Test
  void unknownTopLevelFieldListsTheKnownOnes() {
    String message = error(map("base", "alpine", "xyzzy", "1"));
    assertTrue(message.startsWith("ZImagefile: unknown field \"xyzzy\" (expected one of "
        + "version, runtime, base,"), message);
  }

  @Test
  void exactlyOneMode() {
    assertEquals("ZImagefile: give exactly one of runtime, base, build, stages or wasm; none "
        + "was found", error(map("cmd", "echo hi")));
    assertEquals("ZImagefile: base: give exactly one of runtime, base, build, stages or wasm, "
        + "not runtime and base", error(map("runtime", "node22", "base", "alpine")));
    assertEquals("ZImagefile: build: give exactly one of runtime, base, build, stages or wasm, "
        + "not base and build", error(map("base", "alpine", "build", ".")));
    assertEquals("ZImagefile: the file is empty: give one of runtime, base, build, stages or "
        + "wasm", error(null));
  }

  @Test
  void versionMustBeOne() {
    assertEquals("ZImagefile: version: unsupported version \"2\": only version \"1\" is "
        + "supported", error(map("version", "2", "runtime", "node22")));
  }

  @Test
  void stepActions() {
    assertEquals("ZImagefile: steps[0]: a step needs one of run, copy, add, env, workdir, user",
        error(single(map("to", "/app"))));
    assertEquals("ZImagefile: steps[0].workdir: a step has exactly one action, this one has "
        + "run and workdir", error(single(map("run", "echo", "workdir", "/app"))));
    assertEquals("ZImagefile: steps[0]: a copy step needs \"to\" (the destination)",
        error(single(map("copy", "file.txt"))));
    assertEquals("ZImagefile: steps[0]: a add step needs \"to\" (the destination)",
        error(single(map("add", "a.tgz"))));
    assertEquals("ZImagefile: steps[0].cache: only valid on run steps, not on copy",
        error(single(map("copy", "f", "to", "/f", "cache", list(map("target", "/c"))))));
    assertEquals("ZImagefile: steps[0].from: only valid on copy steps, not on run",
        error(single(map("run", "echo", "from", "builder"))));
    assertEquals("ZImagefile: steps[0].owner: only valid on copy and add steps, not on run",
        error(single(map("run", "echo", "owner", "root"))));
    assertEquals("ZImagefile: steps[0].chmod: only valid on copy and add steps, not on run",
        error(single(map("run", "echo", "chmod", "755"))));
    assertEquals("ZImagefile: steps[0].from: add cannot take files from another stage or "
        + "image; use copy with from", error(single(map("add", "x", "to", "/", "from", "b"))));
    assertEquals("ZImagefile: steps[1]: a step is a mapping with one of run, copy, add, env, "
        + "workdir, user, got \"echo hi\"", error(single(map("run", "a"), "echo hi")));
    assertEquals("ZImagefile: steps[0].run: the command is empty",
        error(single(map("run", "  "))));
  }

  @Test
  void runStepWithCacheMounts() throws Exception {
    ZImage image = parse(single(map("run", "apt-get update", "cache", list(
        map("target", "/var/cache/apt", "id", "apt", "sharing", "locked"),
        map("target", "/var/lib/apt", "readonly", true)))));
    ZStep.Run run = (ZStep.Run) ((ZImageMode.SingleStage) image.mode()).steps().get(0);
    assertEquals(List.of(
        new CacheMount("/var/cache/apt", Optional.of("apt"), Optional.of("locked"), false),
        new CacheMount("/var/lib/apt", Optional.empty(), Optional.empty(), true)), run.cache());
    assertEquals("ZImagefile: steps[0].cache[0].sharing: must be shared, private or locked, "
        + "not \"public\"", error(single(map("run", "x", "cache", list(
            map("target", "/c", "sharing", "public"))))));
    assertEquals("ZImagefile: steps[0].cache[0]: a cache mount needs \"target\" (the directory "
        + "to cache)", error(single(map("run", "x", "cache", list(map("id", "c"))))));
    assertEquals("ZImagefile: steps[0].cache[0].target: must not contain ','",
        error(single(map("run", "x", "cache", list(map("target", "/a,b"))))));
  }

  @Test
  void stages() {
    assertEquals("ZImagefile: stages.app: give base (an image or an earlier stage) or build",
        error(map("stages", map("app", map("steps", list())))));
    assertEquals("ZImagefile: stages.app.build: base and build exclude each other",
        error(map("stages", map("app", map("base", "alpine", "build", ".")))));
    assertEquals("ZImagefile: stages.one.base: stage \"two\" is not defined before stage "
        + "\"one\"; a stage can only build on an earlier one",
        error(map("stages", map("one", map("base", "two"), "two", map("base", "alpine")))));
    assertEquals("ZImagefile: stages.one.steps[0].from: stage \"two\" is not defined before "
        + "this one; copy can only take files from an earlier stage",
        error(map("stages", map("one", map("base", "alpine", "steps", list(
            map("copy", "x", "from", "two", "to", "/x"))), "two", map("base", "alpine")))));
    assertEquals("ZImagefile: stages.Build: invalid stage name \"Build\": use lowercase "
        + "letters, digits, '.', '_' and '-', starting with a letter",
        error(map("stages", map("Build", map("base", "alpine")))));
    assertEquals("ZImagefile: steps: only used with base or build; in a multi-stage file each "
        + "stage has its own steps",
        error(map("stages", map("a", map("base", "alpine")), "steps", list())));
    assertEquals("ZImagefile: stages: needs at least one stage", error(map("stages", map())));
  }

  @Test
  void runtimeNamesAndAliases() throws Exception {
    assertEquals(new ZImageMode.Runtime("node20"), parse(map("runtime", "node")).mode());
    assertEquals(new ZImageMode.Runtime("python313"),
        parse(map("runtime", "Python3.13")).mode());
    assertEquals("ZImagefile: runtime: unknown runtime \"cobol\" (known: node20, node22, "
        + "python312, python313, rust, go, deno, bun)", error(map("runtime", "cobol")));
    assertEquals("ZImagefile: steps: only used with base or build",
        error(map("runtime", "go", "steps", list(map("run", "x")))));
  }

  @Test
  void wasmIsReadAndValidated() throws Exception {
    assertInstanceOf(ZImageMode.Wasm.class, parse(map("runtime", "WebAssembly")).mode());
    ZImageMode.Wasm wasm = (ZImageMode.Wasm) parse(map("wasm", map("target", "preview1",
        "language", "rust", "world", "zlayer-plugin"))).mode();
    assertEquals("preview1", wasm.settings().target());
    assertEquals("ZImagefile: wasm.target: must be one of preview1, preview2, not \"preview3\"",
        error(map("wasm", map("target", "preview3"))));
    assertEquals("ZImagefile: wasm.language: must be one of rust, go, python, typescript, "
        + "assemblyscript, c, zig, not \"java\"", error(map("wasm", map("language", "java"))));
  }

  @Test
  void ports() throws Exception {
    ZImage image = parse(map("base", "alpine", "expose", list(8080L, "53/udp", "8000-8010",
        "9000/TCP")));
    assertEquals(List.of("8080/tcp", "53/udp", "8000-8010/tcp", "9000/tcp"),
        image.settings().expose());
    assertEquals("ZImagefile: expose: invalid port 70000: ports are 1 to 65535",
        error(map("base", "alpine", "expose", 70000L)));
    assertEquals("ZImagefile: expose[0]: invalid port \"http\": write 8080, \"8080/tcp\", "
        + "\"53/udp\" or a range \"8000-8010/tcp\"",
        error(map("base", "alpine", "expose", list("http"))));
    assertEquals("ZImagefile: expose: invalid protocol \"icmp\": use tcp, udp or sctp",
        error(map("base", "alpine", "expose", "1/icmp")));
  }

  @Test
  void healthcheck() throws Exception {
    ZImage image = parse(map("base", "alpine", "healthcheck", map("cmd", list("curl", "-f",
        "http://localhost/"), "interval", "30s", "timeout", "1m30s", "start_period", "500ms",
        "retries", 3L)));
    assertEquals(Optional.of(new Healthcheck(new ZCommand.Exec(List.of("curl", "-f",
        "http://localhost/")), Optional.of("30s"), Optional.of("1m30s"), Optional.of("500ms"),
        OptionalInt.of(3))), image.settings().healthcheck());
    assertEquals("ZImagefile: healthcheck.interval: invalid duration \"not_a_duration\": write "
        + "a number with a unit, like 30s, 1m30s or 500ms",
        error(map("base", "alpine", "healthcheck", map("cmd", "true",
            "interval", "not_a_duration"))));
    assertEquals("ZImagefile: healthcheck: a healthcheck needs \"cmd\" (the command that "
        + "checks)", error(map("base", "alpine", "healthcheck", map("interval", "1s"))));
    assertEquals("ZImagefile: healthcheck.retries: expected a whole number, got \"three\"",
        error(map("base", "alpine", "healthcheck", map("cmd", "true", "retries", "three"))));
  }

  @Test
  void valuesAndNames() throws Exception {
    assertEquals("ZImagefile: env.A: needs a value (write \"\" for an empty one)",
        error(map("base", "alpine", "env", map("A", null))));
    assertEquals("ZImagefile: env.A: must be a single line; a Dockerfile cannot hold a line "
        + "break here", error(map("base", "alpine", "env", map("A", "x\ny"))));
    assertEquals("ZImagefile: env[\"A B\"]: invalid environment variable name \"A B\"",
        error(map("base", "alpine", "env", map("A B", "x"))));
    assertEquals("ZImagefile: args.1X: invalid build argument name \"1X\": use letters, "
        + "digits and '_', not starting with a digit",
        error(map("base", "alpine", "args", map("1X", "v"))));
    assertEquals("ZImagefile: base: must not contain spaces (\"alpine latest\")",
        error(map("base", "alpine latest")));
    assertEquals("ZImagefile: env: expected a mapping (key: value lines), got a list",
        error(map("base", "alpine", "env", list("A=1"))));
    ZImage image = parse(map("base", "alpine", "args", map("VERSION", "1.0", "EMPTY", "",
        "NONE", null), "env", map("PORT", 3000L, "DEBUG", false, "RATIO", 1.5)));
    assertEquals(List.of(new BuildArg("VERSION", Optional.of("1.0")),
        new BuildArg("EMPTY", Optional.empty()), new BuildArg("NONE", Optional.empty())),
        image.args());
    assertEquals(Map.of("PORT", "3000", "DEBUG", "false", "RATIO", "1.5"),
        image.settings().env());
  }

  @Test
  void buildDirective() throws Exception {
    ZImage shortForm = parse(map("build", "base-image", "steps", list(map("run", "make"))));
    assertEquals(new BaseImage.Build("base-image", Optional.empty(), Map.of()),
        ((ZImageMode.SingleStage) shortForm.mode()).base());
    ZImage longForm = parse(map("stages", map("builder", map("build", map("context", "./sub",
        "file", "ZImagefile.prod", "args", map("RUST_VERSION", "1.90"))))));
    assertEquals(new BaseImage.Build("./sub", Optional.of("ZImagefile.prod"),
        Map.of("RUST_VERSION", "1.90")),
        ((ZImageMode.MultiStage) longForm.mode()).stages().get(0).base());
    assertEquals(Map.of("stages.builder.build", new BaseImage.Build("./sub",
        Optional.of("ZImagefile.prod"), Map.of("RUST_VERSION", "1.90"))),
        ZImageConverter.nestedBuilds(longForm));
  }
}
