package io.zlayer.domain.dockerfile.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Heredocs, ported from BuildKit's parser_heredoc_test.go plus line and error checks. */
class HeredocParsingTest {

  private static List<Node> parse(String text) throws DockerfileException {
    return DockerfileParser.parse(text).instructions();
  }

  private static Heredoc doc(String name, String content, boolean expand, boolean chomp) {
    return new Heredoc(name, content, expand, chomp);
  }

  @Test
  void extractsHeredocsLikeBuildKit() throws DockerfileException {
    String dockerfile = String.join("\n",
        "FROM alpine:3.6",
        "ENV NAME=me",
        "RUN ls",
        "USER <<INVALID",
        "INVALID",
        "RUN <<EMPTY",
        "EMPTY",
        "RUN 3<<EMPTY2",
        "EMPTY2",
        "RUN \"<<NOHEREDOC\"",
        "RUN <<INDENT",
        "\tfoo",
        "\tbar",
        "INDENT",
        "RUN <<-UNINDENT",
        "\tbaz",
        "\tquux",
        "UNINDENT",
        "RUN <<-UNINDENT2",
        "\tbaz",
        "\tquux",
        "\tUNINDENT2",
        "RUN <<-EXPAND",
        "\texpand $NAME",
        "EXPAND",
        "RUN <<-'NOEXPAND'",
        "\tdon't expand $NAME",
        "NOEXPAND",
        "RUN <<COPY",
        "echo hello world",
        "echo foo bar",
        "COPY",
        "RUN <<COMMENT",
        "# internal comment",
        "echo hello world",
        "echo foo bar # trailing comment",
        "COMMENT",
        "RUN --mount=type=cache,target=/foo <<MOUNT",
        "echo hello",
        "MOUNT",
        "COPY <<FILE1 <<FILE2 /dest",
        "content 1",
        "FILE1",
        "content 2",
        "FILE2",
        "COPY <<EOF /quotes",
        "\"foo\"",
        "'bar'",
        "EOF",
        "COPY <<X <<Y /dest",
        "Y",
        "X",
        "X",
        "Y",
        "RUN <<COMPLEX python3",
        "print('hello world')",
        "COMPLEX",
        "COPY <<file.txt /dest",
        "hello world",
        "file.txt",
        "RUN <<eo'f'",
        "echo foo",
        "eof",
        "RUN <<eo\\'f",
        "echo foo",
        "eo'f",
        "RUN <<'e'o\\'f",
        "echo foo",
        "eo'f",
        "RUN <<'one two'",
        "echo bar",
        "one two",
        "RUN <<$EOF",
        "$EOF",
        "RUN <<  EOF",
        "EOF",
        "RUN <<  EOF  > foo",
        "EOF",
        "");
    List<List<Heredoc>> expected = List.of(
        List.of(), // ENV
        List.of(), // RUN ls
        List.of(), // USER <<INVALID
        List.of(), // INVALID (an unknown instruction)
        List.of(doc("EMPTY", "", true, false)),
        List.of(doc("EMPTY2", "", true, false)),
        List.of(), // RUN "<<NOHEREDOC"
        List.of(doc("INDENT", "\tfoo\n\tbar\n", true, false)),
        List.of(doc("UNINDENT", "baz\nquux\n", true, true)),
        List.of(doc("UNINDENT2", "baz\nquux\n", true, true)),
        List.of(doc("EXPAND", "expand $NAME\n", true, true)),
        List.of(doc("NOEXPAND", "don't expand $NAME\n", false, true)),
        List.of(doc("COPY", "echo hello world\necho foo bar\n", true, false)),
        List.of(doc("COMMENT",
            "# internal comment\necho hello world\necho foo bar # trailing comment\n", true,
            false)),
        List.of(doc("MOUNT", "echo hello\n", true, false)),
        List.of(doc("FILE1", "content 1\n", true, false), doc("FILE2", "content 2\n", true, false)),
        List.of(doc("EOF", "\"foo\"\n'bar'\n", true, false)),
        List.of(doc("X", "Y\n", true, false), doc("Y", "X\n", true, false)),
        List.of(doc("COMPLEX", "print('hello world')\n", true, false)),
        List.of(doc("file.txt", "hello world\n", true, false)),
        List.of(doc("eof", "echo foo\n", false, false)),
        List.of(doc("eo'f", "echo foo\n", true, false)),
        List.of(doc("eo'f", "echo foo\n", false, false)),
        List.of(doc("one two", "echo bar\n", false, false)),
        List.of(doc("$EOF", "", true, false)),
        List.of(doc("EOF", "", true, false)),
        List.of(doc("EOF", "", true, false)));
    List<Node> instructions = parse(dockerfile);
    assertEquals(expected.size() + 1, instructions.size());
    for (int i = 0; i < expected.size(); i++) {
      Node node = instructions.get(i + 1);
      assertEquals(expected.get(i), node.heredocs(), node.original());
    }
  }

  @Test
  void jsonFormHasNoHeredocs() throws DockerfileException {
    List<Node> nodes = parse("FROM alpine\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n");
    for (int i = 1; i <= 3; i++) {
      assertTrue(nodes.get(i).heredocs().isEmpty());
      assertTrue(nodes.get(i).json());
    }
    assertEquals(4, nodes.size(), "no line was swallowed as a heredoc body");
  }

  @Test
  void heredocBodiesCountInLines() throws DockerfileException {
    List<Node> nodes = parse("FROM a\nRUN <<EOF\nline 1\nline 2\nEOF\nRUN true\n");
    Node run = nodes.get(1);
    assertEquals(2, run.startLine());
    assertEquals(5, run.endLine());
    assertEquals(6, nodes.get(2).startLine());
    assertEquals("RUN <<EOF", run.original());
    assertEquals(List.of("<<EOF"), run.words());
  }

  @Test
  void severalHeredocsOnOneLineAreReadInOrder() throws DockerfileException {
    Node copy = parse("FROM a\nCOPY <<A <<-B <<'C' /dst/\na\nA\n\tb\n\tB\nc $x\nC\n").get(1);
    assertEquals(List.of(
        doc("A", "a\n", true, false),
        doc("B", "b\n", true, true),
        doc("C", "c $x\n", false, false)), copy.heredocs());
    assertEquals(8, copy.endLine());
    assertEquals(List.of("<<A", "<<-B", "<<'C'", "/dst/"), copy.words());
  }

  @Test
  void chompRemovesLeadingTabsOfEveryLineOnly() throws DockerfileException {
    Node run = parse("FROM a\nRUN <<-EOF\n\t\tx\n  \ty\n\t z\n\t\tEOF\n").get(1);
    assertEquals("x\n  \ty\n z\n", run.heredocs().get(0).content());
  }

  @Test
  void doubleQuotedDelimiterDisablesExpansion() throws DockerfileException {
    Node run = parse("FROM a\nRUN <<\"EOF\"\n$HOME\nEOF\n").get(1);
    assertEquals(List.of(doc("EOF", "$HOME\n", false, false)), run.heredocs());
  }

  @Test
  void crlfLinesKeepTheirEndingsAndStillTerminate() throws DockerfileException {
    Node run = parse("FROM a\r\nRUN <<EOF\r\nhello\r\nEOF\r\nRUN b\r\n").get(1);
    assertEquals(List.of(doc("EOF", "hello\r\n", true, false)), run.heredocs());
    assertEquals(4, run.endLine());
  }

  @Test
  void onbuildCarriesTheHeredocOfItsInstruction() throws DockerfileException {
    Node onbuild = parse("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\n").get(1);
    assertEquals(List.of(doc("EOF", "echo hi\n", true, false)), onbuild.heredocs());
    assertEquals(4, onbuild.endLine());
    assertEquals("onbuild (run \"<<EOF\")", AstDump.dump(onbuild));
  }

  @Test
  void heredocsOnlyForRunCopyAdd() throws DockerfileException {
    List<Node> nodes = parse("FROM a\nENV X <<EOF\nWORKDIR /x\nADD <<EOF /f\nhi\nEOF\n");
    assertTrue(nodes.get(1).heredocs().isEmpty());
    assertEquals("workdir", nodes.get(2).value());
    assertEquals(List.of(doc("EOF", "hi\n", true, false)), nodes.get(3).heredocs());
  }

  @Test
  void continuationLinesFormTheHeredocLine() throws DockerfileException {
    Node run = parse("FROM a\nRUN cat \\\n  <<EOF\nbody\nEOF\n").get(1);
    assertEquals(List.of(doc("EOF", "body\n", true, false)), run.heredocs());
    assertEquals(2, run.startLine());
    assertEquals(5, run.endLine());
  }

  @Test
  void unterminatedHeredocIsAnErrorAtTheInstruction() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> DockerfileParser.parse("FROM a\n\nRUN <<-END\nbody\n", "Dockerfile"));
    assertEquals(3, e.line());
    assertEquals("Dockerfile:3: unterminated heredoc <<-END", e.getMessage());
  }

  @Test
  void unbalancedQuotesOnTheLineMeanNoHeredoc() throws DockerfileException {
    // BuildKit ignores lexing errors of the whole line: no heredoc, no error
    List<Node> nodes = parse("FROM a\nRUN <<'EOF\nRUN b\n");
    assertTrue(nodes.get(1).heredocs().isEmpty());
    assertEquals(3, nodes.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"<<EOF", "<<'EOF'", "<<\"EOF\"", "<<-EOF", "<<-'EOF'", "<<-\"EOF\"",
      "<<EO\"F\"", "<< EOF", "<<- EOF", "3<<EOF"})
  void validHeredocWords(String word) throws HeredocLexer.LexException {
    DockerfileParser.HeredocStart start = DockerfileParser.heredocWord(word);
    assertNotNull(start, word);
    assertEquals("EOF", start.name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""})
  void invalidHeredocWords(String word) {
    HeredocLexer.LexException e = assertThrows(HeredocLexer.LexException.class,
        () -> DockerfileParser.heredocWord(word));
    assertTrue(e.getMessage().startsWith("failed to process "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh", "a<<EOF"})
  void notHeredocWords(String word) throws HeredocLexer.LexException {
    assertNull(DockerfileParser.heredocWord(word));
  }

  @Test
  void heredocNamesFromLines() throws DockerfileException {
    assertEquals(List.of("EOF"), names("RUN <<EOF\nEOF\n"));
    assertEquals(List.of("EOF"), names("RUN <<-EOF\nEOF\n"));
    assertEquals(List.of("-EOF"), names("RUN << -EOF\n-EOF\n"));
    assertEquals(List.of("EOF"), names("RUN <<'EOF'\nEOF\n"));
    assertEquals(List.of("EOF"), names("RUN 4<<EOF\nEOF\n"));
    assertEquals(List.of("EOF", "EOF2"), names("RUN <<EOF <<EOF2\nEOF\nEOF2\n"));
    assertEquals(List.of(), names("RUN '<<EOF'\n"));
    assertEquals(List.of(), names("RUN \"<<EOF\"\n"));
    // '<<-' and the delimiter split by a blank: the lexer keeps only blanks right after '<<'
    assertEquals(List.of(), names("RUN <<- EOF\n"));
  }

  private static List<String> names(String run) throws DockerfileException {
    return parse("FROM a\n" + run).get(1).heredocs().stream().map(Heredoc::name).toList();
  }
}
