package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.zlayer.application.service.ResolveBuildSourceService;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.template.RuntimeTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zlayer build} with templates, ZImagefiles and Dockerfiles; and templates, zimage. */
class BuildSourcesCliTest {
  private final CliHarness h = new CliHarness();
  private final BuildImage build = mock(BuildImage.class);
  private final List<BuildImage.Command> builds = new ArrayList<>();

  @TempDir
  Path dir;

  @BeforeEach
  void useCases() throws Exception {
    when(h.useCases.resolveBuildSource()).thenReturn(new ResolveBuildSourceService());
    when(h.useCases.buildImage()).thenReturn(build);
    Digest d = Digest.sha256(new byte[] {1});
    when(build.build(any())).thenAnswer(inv -> {
      builds.add(inv.getArgument(0));
      return new BuildImage.Result(d, d, List.of(), 1, Duration.ZERO, 0, 0, "sandbox",
          Map.of());
    });
  }

  private CliHarness.Result buildIn(Path context, String... flags) {
    List<String> args = new ArrayList<>(List.of("build", "--progress", "quiet"));
    args.addAll(List.of(flags));
    args.add(context.toString());
    return h.run(args.toArray(String[]::new));
  }

  @Test
  void runtimeTemplate() throws Exception {
    CliHarness.Result r = buildIn(dir, "--runtime", "nodejs22");
    assertEquals(0, r.code(), r.err());
    BuildImage.Command c = builds.get(0);
    assertEquals(RuntimeTemplates.get("node22").dockerfile(), c.dockerfileText());
    assertEquals(dir.resolve("node22.Dockerfile"), c.dockerfile());
  }

  @Test
  void runtimeAutoDetects() throws Exception {
    Files.writeString(dir.resolve("go.mod"), "module example.com/x\n");
    CliHarness.Result r = buildIn(dir, "--runtime", "auto");
    assertEquals(0, r.code(), r.err());
    assertEquals(RuntimeTemplates.get("go").dockerfile(), builds.get(0).dockerfileText());
    assertTrue(r.err().contains("using runtime template go (go.mod)"), r.err());
    CliHarness.Result none = buildIn(dir.resolve("..").resolve(dir.getFileName())
        .resolve("empty-sub"), "--runtime", "auto");
    assertEquals(1, none.code());
  }

  @Test
  void zimagefileInTheContextIsPreferredToTheDockerfile() throws Exception {
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(dir.resolve("ZImagefile"), "base: scratch\nenv:\n  A: \"1\"\n");
    assertEquals(0, buildIn(dir).code());
    BuildImage.Command c = builds.get(0);
    assertTrue(c.dockerfileText().contains("FROM scratch\nENV A=1\n"), c.dockerfileText());
    assertEquals(dir.resolve("ZImagefile.Dockerfile"), c.dockerfile());
    // an explicit -f wins over the ZImagefile
    assertEquals(0, buildIn(dir, "-f", dir.resolve("Dockerfile").toString()).code());
    assertEquals("FROM scratch\n", builds.get(1).dockerfileText());
  }

  @Test
  void zimagefileFlagAndFileNamedLikeOne() throws Exception {
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
    Path z = dir.resolve("build.yaml");
    Files.writeString(z, "base: scratch\ncmd: [\"/x\"]\n");
    assertEquals(0, buildIn(dir, "--zimagefile", z.toString()).code());
    assertTrue(builds.get(0).dockerfileText().contains("CMD [\"/x\"]\n"));
    assertEquals(0, buildIn(dir, "-f", z.toString()).code());
    assertTrue(builds.get(1).dockerfileText().contains("CMD [\"/x\"]\n"));
  }

  @Test
  void zimagefileErrorsAreOneLineWithFileAndLine() throws Exception {
    Path z = dir.resolve("ZImagefile");
    Files.writeString(z, "base: alpine\nsteps:\n  - run: make\n  - rnu: test\n");
    CliHarness.Result r = buildIn(dir);
    assertEquals(1, r.code());
    // an auto-detected ZImagefile is named relative to the working directory
    Path shown = Path.of("").toAbsolutePath().relativize(z);
    assertEquals("error: " + shown + ":4: steps[1]: unknown field \"rnu\" (did you mean run?)\n",
        r.err());
    Files.writeString(z, "base: alpine\nsteps: [\n");
    CliHarness.Result syntax = buildIn(dir);
    assertEquals(1, syntax.code());
    assertTrue(syntax.err().startsWith("error: " + shown + ":3: invalid YAML: "), syntax.err());
    assertEquals(1, syntax.err().lines().count(), syntax.err());
    verify(build, never()).build(any());
  }

  @Test
  void nothingToBuild() {
    CliHarness.Result r = buildIn(dir);
    assertEquals(1, r.code());
    assertEquals("error: no Dockerfile or ZImagefile in " + dir + "\n"
        + "hint: name one with -f FILE, or use a runtime template: --runtime auto detects one\n",
        r.err());
  }

  @Test
  void unknownRuntime() {
    CliHarness.Result r = buildIn(dir, "--runtime", "cobol");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("error: unknown runtime \"cobol\"\nhint: use one of: auto, "
        + "node20, node22,"), r.err());
  }

  @Test
  void templatesList() {
    CliHarness.Result r = h.run("templates", "list");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("NAME"), r.out());
    assertTrue(lines.get(0).contains("DESCRIPTION") && lines.get(0).contains("DETECTED BY"));
    assertEquals(1 + RuntimeTemplates.all().size(), lines.size());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("rust ") && l.contains("Cargo.toml")),
        r.out());
  }

  @Test
  void templatesShow() {
    CliHarness.Result r = h.run("templates", "show", "Python");
    assertEquals(0, r.code());
    assertEquals(RuntimeTemplates.get("python312").dockerfile(), r.out());
    CliHarness.Result unknown = h.run("templates", "show", "java");
    assertEquals(1, unknown.code());
    assertTrue(unknown.err().startsWith("error: unknown runtime template \"java\"\n"));
  }

  @Test
  void templatesDetect() throws Exception {
    Files.writeString(dir.resolve("package.json"), "{\"engines\": {\"node\": \">=22\"}}");
    CliHarness.Result r = h.run("templates", "detect", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("node22: package.json, whose engines.node is \">=22\"\n", r.out());
    Path empty = Files.createDirectory(dir.resolve("empty"));
    CliHarness.Result none = h.run("templates", "detect", empty.toString());
    assertEquals(1, none.code());
    assertTrue(none.err().startsWith("error: no runtime template matches " + empty + "\n"));
  }

  @Test
  void zimageConvertPrintsTheDockerfile() throws Exception {
    CliHarness.Result r = h.run("zimagefile", "convert", "../examples/zimagefile/ZImagefile");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("# Generated by zlayer from ../examples/zimagefile/ZImagefile"),
        r.out());
    assertTrue(r.out().contains("COPY --from=assets --chmod=644 /assets/hello.txt /hello.txt\n"),
        r.out());
  }

  @Test
  void newCommandsHaveHelpWithExamples() {
    for (String[] command : new String[][] {{"pipeline"}, {"templates"}, {"templates", "list"},
        {"templates", "show"}, {"templates", "detect"}, {"zimagefile"}, {"zimagefile", "convert"},
        {"build"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";
      CliHarness.Result r = h.run(args);
      assertEquals(0, r.code(), String.join(" ", command));
      assertTrue(r.out().contains("\nExample"), String.join(" ", command) + ":\n" + r.out());
      assertTrue(r.out().contains("  zlayer " + command[0]), r.out());
    }
    assertTrue(h.run("build", "--help").out().contains("--runtime"));
    assertTrue(h.run("build", "--help").out().contains("--zimagefile"));
  }
}
