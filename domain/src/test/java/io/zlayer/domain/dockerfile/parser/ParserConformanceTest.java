package io.zlayer.domain.dockerfile.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.zlayer.domain.error.DockerfileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * BuildKit's own parser tests: every {@code testfiles/<case>/Dockerfile} must dump to its
 * {@code result} byte for byte, every {@code testfiles-negative/<case>/Dockerfile} must fail.
 */
class ParserConformanceTest {

  private static Path buildkitDir() {
    String shared = System.getenv("ZLAYER_SHARED_DIR");
    Path dir = shared == null ? null : Path.of(shared, "conformance", "buildkit");
    if (dir == null || !Files.isDirectory(dir.resolve("testfiles"))) {
      String where = dir == null ? "(ZLAYER_SHARED_DIR is not set)" : dir.toString();
      if ("true".equals(System.getenv("CI"))) {
        fail("BuildKit conformance data not found at " + where);
      }
      Assumptions.abort("skipped: BuildKit conformance data not found at " + where);
    }
    return dir;
  }

  private static List<Path> cases(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> positiveCasesDumpLikeBuildKit() throws IOException {
    List<Path> cases = cases(buildkitDir().resolve("testfiles"));
    assertEquals(33, cases.size(), "number of BuildKit parser test cases");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
      byte[] dockerfile = Files.readAllBytes(c.resolve("Dockerfile"));
      String expected = Files.readString(c.resolve("result"), StandardCharsets.UTF_8);
      ParseResult result = DockerfileParser.parse(dockerfile, "Dockerfile");
      assertEquals(expected, AstDump.dump(result.root()) + "\n");
      // the String entry point must agree for valid UTF-8
      ParseResult fromText =
          DockerfileParser.parse(new String(dockerfile, StandardCharsets.UTF_8), "Dockerfile");
      assertEquals(expected, AstDump.dump(fromText.root()) + "\n");
    }));
  }

  @TestFactory
  Stream<DynamicTest> negativeCasesFail() throws IOException {
    List<Path> cases = cases(buildkitDir().resolve("testfiles-negative"));
    assertFalse(cases.isEmpty(), "no negative BuildKit parser test cases");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
      byte[] dockerfile = Files.readAllBytes(c.resolve("Dockerfile"));
      DockerfileException e = assertThrows(DockerfileException.class,
          () -> DockerfileParser.parse(dockerfile, "Dockerfile"));
      assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
    }));
  }
}
