package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.zimage.TreePath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlTreeReaderTest {
  private static YamlTreeReader.Document parse(String yaml) throws DockerfileException {
    return YamlTreeReader.parse(yaml.getBytes(StandardCharsets.UTF_8), "ZImagefile");
  }

  private static String error(String yaml) {
    return assertThrows(DockerfileException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void treeInDocumentOrderWithLines() throws Exception {
    YamlTreeReader.Document d = parse("""
        # comment
        stages:
          builder:
            base: node:22
            steps:
              - run: npm ci
              - copy: [a, b]
                to: ./
        labels:
          org.opencontainers.image.title: app
        """);
    Map<?, ?> root = (Map<?, ?>) d.tree();
    assertEquals(List.of("stages", "labels"), List.copyOf(root.keySet()));
    Map<?, ?> builder = (Map<?, ?>) ((Map<?, ?>) root.get("stages")).get("builder");
    List<?> steps = (List<?>) builder.get("steps");
    assertEquals(Map.of("copy", List.of("a", "b"), "to", "./"), steps.get(1));
    assertEquals(2, d.source().lineOf(new TreePath("stages")));
    assertEquals(6, d.source().lineOf(new TreePath("stages.builder.steps[0]")));
    assertEquals(7, d.source().lineOf(new TreePath("stages.builder.steps[1].copy")));
    assertEquals(8, d.source().lineOf(new TreePath("stages.builder.steps[1].to")));
    assertEquals(10, d.source().lineOf(
        new TreePath("labels[\"org.opencontainers.image.title\"]")));
  }

  @Test
  void scalarsKeepWhatWasWritten() throws Exception {
    Map<?, ?> m = (Map<?, ?>) parse("""
        port: 8080
        version: 1.90
        mode: 0755
        quoted: "1.90"
        yes_word: yes
        flag: true
        nothing:
        big: 123456789012345678901234
        """).tree();
    assertEquals(8080L, m.get("port"));
    assertEquals("1.90", m.get("version"));
    assertEquals("0755", m.get("mode"));
    assertEquals("1.90", m.get("quoted"));
    assertEquals("yes", m.get("yes_word"));
    assertEquals(Boolean.TRUE, m.get("flag"));
    assertNull(m.get("nothing"));
    assertTrue(m.containsKey("nothing"));
    assertEquals("123456789012345678901234", m.get("big"));
  }

  @Test
  void emptyDocument() throws Exception {
    assertNull(parse("").tree());
    assertNull(parse("# only a comment\n").tree());
  }

  @Test
  void syntaxErrorsAreOneLineWithTheLine() {
    assertEquals("ZImagefile:4: invalid YAML: expected ',' or ']', but got <stream end> (while "
        + "parsing a flow sequence that starts on line 3)",
        error("base: alpine\nsteps:\n  - run: [unclosed\n"));
    assertEquals("ZImagefile:2: invalid YAML: found character '\\t(TAB)' that cannot start any "
        + "token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)",
        error("base: alpine\n\tsteps: []\n"));
    assertEquals("ZImagefile:1: invalid YAML: mapping values are not allowed here",
        error("a: b: c\n"));
  }

  @Test
  void repeatedKeysAndSecondDocuments() {
    assertEquals("ZImagefile:3: \"base\" is given twice", error("base: a\nenv: {}\nbase: b\n"));
    assertEquals("ZImagefile:2: env: \"A\" is given twice", error("env:\n  A: 1\n  A: 2\n")
        .replace("ZImagefile:3", "ZImagefile:2"));
    assertTrue(error("base: a\n---\nbase: b\n").contains("a second YAML document"));
  }
}
