package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The jar as a user meets it: help, exit codes, the Dockerfile front end. */
class CliBasicsIT {
  @TempDir Path dir;

  @Test
  void helpListsEveryCommandAndEachHasExamples() throws Exception {
    ZlayerJar zlayer = new ZlayerJar(dir);
    String help = zlayer.run("--help").ok().out();
    List<String> commands = List.of("build", "pull", "push", "tag", "images", "inspect", "rmi",
        "prune", "save", "load", "manifest", "dockerfile", "completion", "version");
    for (String c : commands) {
      assertTrue(help.contains("  " + c), "--help lacks " + c + ":\n" + help);
      String sub = zlayer.run(c, "--help").ok().out();
      assertTrue(sub.contains("Usage: zlayer " + c), sub);
    }
    assertTrue(zlayer.run("version").ok().out().startsWith("zlayer "));
  }

  @Test
  void badCommandsAndFlagsExitOneWithoutStackTraces() throws Exception {
    ZlayerJar zlayer = new ZlayerJar(dir);
    ZlayerJar.Result unknown = zlayer.run("buidl");
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.err().contains("build"), unknown.err());
    assertEquals(1, zlayer.run("images", "--no-such-flag").exitCode());
    zlayer.run("build", dir.resolve("missing").toString()).userError();
    zlayer.run("inspect", "never-pulled:1").userError();
    zlayer.run("dockerfile", "ast", dir.resolve("nope").toString()).userError();
  }

  @Test
  void checkReportsTheLineOfABrokenDockerfile() throws Exception {
    Path file = dir.resolve("Dockerfile");
    Files.writeString(file, "FROM scratch\nCOPY a /\nFORM x\n");
    ZlayerJar.Result r = new ZlayerJar(dir).run("dockerfile", "check", file.toString())
        .userError();
    assertEquals("error: Dockerfile:3: unknown instruction: FORM (did you mean FROM?)",
        r.errorLine());
    Files.writeString(file, "FROM scratch AS a\nFROM a\nCOPY --from=a / /\n");
    assertTrue(new ZlayerJar(dir).run("dockerfile", "check", file.toString()).ok().out()
        .contains("OK, 2 stages"));
  }

  @TestFactory
  Stream<DynamicTest> astOfEveryBuildKitGoldenCase() throws Exception {
    Path testfiles = RealParts.conformanceDir().resolve("buildkit/testfiles");
    Path negative = RealParts.conformanceDir().resolve("buildkit/testfiles-negative");
    ZlayerJar zlayer = new ZlayerJar(dir);
    List<Path> cases;
    try (Stream<Path> s = Files.list(testfiles)) {
      cases = s.sorted().toList();
    }
    List<Path> bad;
    try (Stream<Path> s = Files.list(negative)) {
      bad = s.sorted().toList();
    }
    Stream<DynamicTest> good = cases.stream().map(c -> DynamicTest.dynamicTest(
        c.getFileName().toString(), () -> assertEquals(Files.readString(c.resolve("result")),
            zlayer.run("dockerfile", "ast", c.resolve("Dockerfile").toString()).ok().out())));
    Stream<DynamicTest> rejected = bad.stream().map(c -> DynamicTest.dynamicTest(
        "negative " + c.getFileName(),
        () -> zlayer.run("dockerfile", "ast", c.resolve("Dockerfile").toString()).userError()));
    return Stream.concat(good, rejected);
  }
}
