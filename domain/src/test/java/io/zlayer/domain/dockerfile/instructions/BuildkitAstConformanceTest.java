package io.zlayer.domain.dockerfile.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.zlayer.domain.dockerfile.parser.Node;
import io.zlayer.domain.error.DockerfileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the instruction parser over the ASTs BuildKit's own parser produced for its golden
 * Dockerfiles ({@code testfiles/<case>/result}), read from the shared conformance data.
 */
class BuildkitAstConformanceTest {
  private static Path testfiles;

  @BeforeAll
  static void locate() {
    String shared = System.getenv("ZLAYER_SHARED_DIR");
    Path dir = shared == null ? null : Path.of(shared, "conformance", "buildkit", "testfiles");
    if (dir == null || !Files.isDirectory(dir)) {
      String where = dir == null ? "(ZLAYER_SHARED_DIR not set)" : dir.toString();
      if ("true".equals(System.getenv("CI"))) {
        fail("conformance data not found at " + where);
      }
      Assumptions.abort("conformance data not found at " + where + "; skipped");
    }
    testfiles = dir;
  }

  /** "Class" or "error: detail" for every instruction of one case. */
  private static List<String> outcomes(String testCase) throws IOException {
    List<String> lines = Files.readAllLines(testfiles.resolve(testCase).resolve("result"),
        StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        continue;
      }
      Node node = AstDumpReader.read(lines.get(i), i + 1);
      try {
        out.add(InstructionParser.parse(node).getClass().getSimpleName());
      } catch (DockerfileException e) {
        assertEquals(i + 1, e.line(), "line of " + e.getMessage());
        out.add("error: " + e.detail());
      }
    }
    return out;
  }

  @Test
  void everyGoldenAstParsesOrFailsWithAOneLineError() throws IOException {
    List<String> cases;
    try (Stream<Path> dirs = Files.list(testfiles)) {
      cases = dirs.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertTrue(cases.size() >= 30, "expected BuildKit's golden cases, found " + cases);
    int instructions = 0;
    List<String> failing = new ArrayList<>();
    for (String c : cases) {
      for (String outcome : outcomes(c)) {
        instructions++;
        assertTrue(!outcome.contains("\n"), c + ": " + outcome);
        if (outcome.startsWith("error:") && !failing.contains(c)) {
          failing.add(c);
        }
      }
    }
    assertTrue(instructions > 250, "only " + instructions + " instructions read");
    // Only the cases written to exercise bad flags and HEALTHCHECK forms have rejected lines.
    assertEquals(List.of("flags", "health"), failing);
  }

  @Test
  void healthcheckCase() throws IOException {
    assertEquals(List.of("From", "Add", "Cmd",
        "error: HEALTHCHECK requires at least one argument",
        "Healthcheck",
        "error: Missing command after HEALTHCHECK CMD",
        "Healthcheck",
        "Healthcheck",
        "error: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)",
        "Healthcheck"), outcomes("health"));
  }

  @Test
  void flagsCase() throws IOException {
    assertEquals(List.of("From", "Copy",
        "error: unknown flag: --user",
        "error: unknown flag: --doit",
        "error: unknown flag: --user",
        "error: unknown flag: --doit",
        "Copy",
        "error: unknown flag: --doit",
        "error: unknown flag: --doit",
        "error: unknown flag: --doit"), outcomes("flags"));
  }
}
