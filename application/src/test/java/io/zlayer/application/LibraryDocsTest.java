package io.zlayer.application;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/library.md shows the code of {@link ZlayerExampleTest}, which compiles and runs. */
class LibraryDocsTest {
  private static final String BEGIN = "// library.md:begin";
  private static final String END = "// library.md:end";

  @Test
  void theDocsSampleIsTheExampleTestsCode() throws Exception {
    List<String> test = Files.readAllLines(
        Path.of("src/test/java/io/zlayer/application/ZlayerExampleTest.java"));
    int begin = indexOf(test, BEGIN);
    int end = indexOf(test, END);
    String indent = test.get(begin).substring(0, test.get(begin).indexOf(BEGIN));
    String sample = test.subList(begin + 1, end).stream()
        .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
        .collect(Collectors.joining("\n", "```java\n", "\n```\n"));
    String docs = Files.readString(Path.of("..", "docs", "library.md"));
    assertTrue(sample.lines().count() > 10, sample);
    assertTrue(docs.contains(sample), "docs/library.md must contain, word for word:\n" + sample);
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("no " + marker + " in ZlayerExampleTest.java");
  }
}
