package io.zlayer.domain.dockerfile.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {

  private static String dump(String dockerfile) throws DockerfileException {
    return AstDump.dump(DockerfileParser.parse(dockerfile).root());
  }

  private static List<Node> nodes(String dockerfile) throws DockerfileException {
    return DockerfileParser.parse(dockerfile).instructions();
  }

  private static DockerfileException failure(String dockerfile) {
    return assertThrows(DockerfileException.class,
        () -> DockerfileParser.parse(dockerfile, "Dockerfile"));
  }

  @Nested
  class Directives {
    @Test
    void allThreeAreRead() throws DockerfileException {
      ParseResult r = DockerfileParser.parse(
          "# syntax=docker/dockerfile:1.7\n# escape=`\n#check=skip=all;error=true\nFROM x\n");
      assertEquals(Optional.of("docker/dockerfile:1.7"), r.syntax());
      assertEquals(Optional.of("skip=all;error=true"), r.check());
      assertEquals('`', r.escapeToken());
      assertEquals(List.of(new ParserDirective("syntax", "docker/dockerfile:1.7", 1),
          new ParserDirective("escape", "`", 2),
          new ParserDirective("check", "skip=all;error=true", 3)), r.directives());
      assertEquals(List.of(), r.instructions().get(0).prevComments(),
          "directives are not comments of the first instruction");
    }

    @Test
    void namesAreCaseInsensitiveAndSpacingIsFree() throws DockerfileException {
      ParseResult r = DockerfileParser.parse("  #   ESCAPE   =   `   \n# Syntax=a b\nFROM x\n");
      assertEquals('`', r.escapeToken());
      assertEquals(Optional.of("a b"), r.syntax());
    }

    @Test
    void defaultsWithoutDirectives() throws DockerfileException {
      ParseResult r = DockerfileParser.parse("FROM x\n");
      assertEquals('\\', r.escapeToken());
      assertEquals(Optional.empty(), r.syntax());
      assertEquals(Optional.empty(), r.check());
      assertEquals(List.of(), r.directives());
    }

    @Test
    void aCommentEndsTheDirectives() throws DockerfileException {
      ParseResult r = DockerfileParser.parse("# hello\n# escape=`\nFROM x\n");
      assertEquals('\\', r.escapeToken());
      assertEquals(List.of("hello", "escape=`"), r.instructions().get(0).prevComments());
    }

    @Test
    void anUnknownDirectiveEndsTheDirectives() throws DockerfileException {
      assertEquals('\\', DockerfileParser.parse("# foo=bar\n# escape=`\nFROM x\n").escapeToken());
    }

    @Test
    void aBlankLineEndsTheDirectives() throws DockerfileException {
      assertEquals('\\', DockerfileParser.parse("\n# escape=`\nFROM x\n").escapeToken());
      assertEquals('`', DockerfileParser.parse("# escape=`\n\n# syntax=x\nFROM x\n")
          .escapeToken());
      assertEquals(Optional.empty(),
          DockerfileParser.parse("# escape=`\n\n# syntax=x\nFROM x\n").syntax());
    }

    @Test
    void directivesAfterAnInstructionAreComments() throws DockerfileException {
      ParseResult r = DockerfileParser.parse("FROM x\n# escape=`\nRUN a \\\nb\n");
      assertEquals('\\', r.escapeToken());
      assertEquals("(from \"x\")\n(run \"a b\")", AstDump.dump(r.root()));
    }

    @Test
    void aByteOrderMarkIsIgnored() throws DockerfileException {
      ParseResult r = DockerfileParser.parse("\uFEFF# escape=`\nFROM `\n x\n");
      assertEquals('`', r.escapeToken());
      assertEquals("(from \"x\")", AstDump.dump(r.root()));
    }

    @Test
    void duplicatesAreErrors() {
      DockerfileException e = failure("# escape=\\\n# ESCAPE=`\nFROM x\n");
      assertEquals("Dockerfile:2: only one escape parser directive can be used", e.getMessage());
      assertEquals(2, e.line());
      assertEquals("only one syntax parser directive can be used",
          failure("# syntax=a\n# syntax=b\nFROM x\n").detail());
      assertEquals("only one check parser directive can be used",
          failure("#check=a\n#check=b\nFROM x\n").detail());
    }

    @Test
    void anInvalidEscapeIsAnError() {
      DockerfileException e = failure("# escape=x\nFROM x\n");
      assertEquals("Dockerfile:1: invalid escape token 'x' does not match ` or \\",
          e.getMessage());
      // Go's (.+?)\s*$ leaves one blank as the value when only blanks follow '='
      assertEquals("invalid escape token ' ' does not match ` or \\",
          failure("# escape= \nFROM x\n").detail());
      assertEquals("invalid escape token '\\\\' does not match ` or \\",
          failure("# escape=\\\\\nFROM x\n").detail());
    }

    @Test
    void directiveSyntax() {
      assertEquals(List.of("escape", "`"), List.of(DockerfileParser.matchDirective("escape=`")));
      assertEquals(List.of("a1", "b  c"),
          List.of(DockerfileParser.matchDirective("a1 \t= \fb  c \r")));
      assertEquals(List.of("k", "\t"), List.of(DockerfileParser.matchDirective("k= \t")));
      assertEquals(null, DockerfileParser.matchDirective("k="));
      assertEquals(null, DockerfileParser.matchDirective("1k=v"));
      assertEquals(null, DockerfileParser.matchDirective("k-x=v"));
      assertEquals(null, DockerfileParser.matchDirective("k\u000b=v"));
    }
  }

  @Nested
  class Continuations {
    @Test
    void joinLinesKeepingTheirLeadingBlanks() throws DockerfileException {
      assertEquals("(run \"echo hello  world\")", dump("RUN echo hello \\\n world\n"));
      assertEquals("(run \"a b\")", dump("RUN a \\  \t\nb\n"));
    }

    @Test
    void commentsInsideAreSkippedAndBlankLinesWarn() throws DockerfileException {
      String dockerfile = String.join("\n",
          "",
          "FROM alpine:3.6",
          "",
          "RUN valid \\",
          "    continuation",
          "",
          "RUN something \\",
          "",
          "    following \\",
          "",
          "    more",
          "",
          "RUN another \\",
          "",
          "    thing",
          "",
          "RUN non-indented \\",
          "# this is a comment",
          "   after-comment",
          "",
          "RUN indented \\",
          "    # this is an indented comment",
          "    comment",
          "\t");
      ParseResult r = DockerfileParser.parse(dockerfile);
      assertEquals(List.of(
          new ParseWarning(11,
              "Empty continuation line found in: RUN something     following     more"),
          new ParseWarning(15, "Empty continuation line found in: RUN another     thing")),
          r.warnings());
      assertEquals("RUN non-indented    after-comment", r.instructions().get(4).original());
      assertEquals("RUN indented     comment", r.instructions().get(5).original());
    }

    @Test
    void anEscapedEscapeDoesNotContinue() throws DockerfileException {
      List<Node> n = nodes("ENV A a\\\\\nENV B b\n");
      assertEquals(2, n.size());
      assertEquals("ENV A a\\\\", n.get(0).original());
    }

    @Test
    void aLoneEscapeLineContinues() throws DockerfileException {
      assertEquals("(env \"E\" \"helloworld\" \"\")", dump("ENV E hello\\\n\\\nworld\n"));
    }

    @Test
    void endOfFileEndsAContinuation() throws DockerfileException {
      List<Node> n = nodes("FROM a\nRUN x \\\n");
      assertEquals("RUN x ", n.get(1).original());
      assertEquals(List.of("x"), n.get(1).words());
      assertEquals(2, n.get(1).endLine());
    }

    @Test
    void backtickEscape() throws DockerfileException {
      String dockerfile = "# escape=`\nFROM x\nRUN dir c:\\ `\n  && echo `\"a b`\"\n"
          + "ENV P=c:\\dir Q=a` b\nCOPY --chown=`\"me`\" c:\\src c:\\dst\n";
      assertEquals("(from \"x\")\n"
          + "(run \"dir c:\\\\   && echo `\\\"a b`\\\"\")\n"
          + "(env \"P\" \"c:\\\\dir\" \"=\" \"Q\" \"a` b\" \"=\")\n"
          + "(copy [\"--chown=\\\"me\\\"\"] \"c:\\\\src\" \"c:\\\\dst\")", dump(dockerfile));
    }

    @Test
    void continuationLineNumbers() throws DockerfileException {
      List<Node> n = nodes("\n\nFROM a\n\n# c\nRUN a \\\n# inner\n\n  b \\\n  c\nCMD x\n");
      assertEquals(3, n.get(0).startLine());
      assertEquals(3, n.get(0).endLine());
      assertEquals(6, n.get(1).startLine());
      assertEquals(10, n.get(1).endLine());
      assertEquals(11, n.get(2).startLine());
      ParseResult r = DockerfileParser.parse("\n\nFROM a\n\n# c\nRUN a \\\n\n  b\n");
      assertEquals(3, r.root().startLine());
      assertEquals(8, r.root().endLine());
    }
  }

  @Nested
  class Comments {
    @Test
    void precedingCommentsAreKept() throws DockerfileException {
      List<Node> n = nodes("# one\n  # two  \n\nFROM a\n# three\n#\n# four\nRUN b\nRUN c\n");
      assertEquals(List.of("one", "# two"), n.get(0).prevComments(),
          "BuildKit drops the first byte, not the '#', of an indented comment");
      assertEquals(List.of("four"), n.get(1).prevComments(), "an empty '#' resets");
      assertEquals(List.of(), n.get(2).prevComments());
    }
  }

  @Nested
  class Instructions {
    @Test
    void keywordsAreCaseInsensitive() throws DockerfileException {
      List<Node> n = nodes("from a\nFrOm b AS c\nrun x\nOnBuild Run y\n");
      assertEquals(List.of("from", "from", "run", "onbuild"),
          n.stream().map(Node::value).toList());
      assertEquals(List.of("b", "AS", "c"), n.get(1).words());
      assertEquals("run", n.get(3).next().get(0).children().get(0).value());
      assertEquals("Run y", n.get(3).next().get(0).children().get(0).original());
    }

    @Test
    void unknownInstructionsAreKeptWithAnEmptyArgument() throws DockerfileException {
      List<Node> n = nodes("FORM alpine\nFROM a\n");
      assertEquals("form", n.get(0).value());
      assertEquals(List.of(""), n.get(0).words());
      assertEquals("(form \"\")\n(from \"a\")", dump("FORM alpine\nFROM a\n"));
    }

    @Test
    void flagsAreExtracted() throws DockerfileException {
      Node copy = nodes("COPY --from=build --chown=\"a b\" --x='' -- --not-a-flag dst\n").get(0);
      assertEquals(List.of("--from=build", "--chown=a b", "--x="), copy.flags());
      assertEquals(List.of("--not-a-flag", "dst"), copy.words());
      assertEquals(List.of("--mount=type=cache,target=/x"),
          nodes("RUN --mount=type=cache,target=/x make\n").get(0).flags());
      assertEquals(List.of("-x"), nodes("RUN -x\n").get(0).words());
      assertEquals(List.of("--a"), nodes("RUN --a\n").get(0).flags());
      assertEquals(List.of(), nodes("RUN --a\n").get(0).words());
    }

    @Test
    void flagsAreReadByteByByteLikeBuildKit() throws DockerfileException {
      // Go reads each UTF-8 byte as a rune: é (C3 A9) becomes "Ã©"
      Node copy = nodes("COPY --chown=jos\u00e9 a b\n").get(0);
      assertEquals(List.of("--chown=jos\u00c3\u00a9"), copy.flags());
      assertEquals(List.of("a", "b"), copy.words());
    }

    @Test
    void nameValueForms() throws DockerfileException {
      assertEquals("(env \"A\" \"b c\" \"\")\n(env \"A\" \"b\" \"=\" \"C\" \"\\\"d e\\\"\" \"=\")\n"
              + "(label \"k\" \"\" \"=\")\n(env)",
          dump("ENV A b c\nENV A=b C=\"d e\"\nLABEL k=\nENV\n"));
      assertEquals("(arg \"a\" \"b=c\" \"d=\\\"e f\\\"\")", dump("ARG a b=c d=\"e f\"\n"));
    }

    @Test
    void nameValueErrors() {
      assertEquals("Dockerfile:2: ENV must have two arguments",
          failure("FROM a\nENV PATH\n").getMessage());
      assertEquals("LABEL must have two arguments", failure("LABEL x\n").detail());
      assertEquals("Syntax error - can't find = in \"c\". Must be of the form: name=value",
          failure("ENV a=b c\n").detail());
    }

    @Test
    void healthcheck() throws DockerfileException {
      assertEquals("(healthcheck)\n(healthcheck \"NONE\")\n"
              + "(healthcheck [\"--interval=5s\"] \"CMD\" \"curl -f x\")\n"
              + "(healthcheck \"CMD\" \"a\" \"b\")",
          dump("HEALTHCHECK\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD curl -f x\n"
              + "HEALTHCHECK CMD [\"a\",\"b\"]\n"));
      assertTrue(nodes("HEALTHCHECK CMD [\"a\"]\n").get(0).json());
      assertEquals("when using JSON array syntax, arrays must be comprised of strings only",
          failure("HEALTHCHECK CMD [1]\n").detail());
    }

    @Test
    void onbuildNesting() throws DockerfileException {
      assertEquals("(onbuild (onbuild (run \"x\")))\n(onbuild)",
          dump("ONBUILD ONBUILD RUN x\nONBUILD\n"));
      StringBuilder deep = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        deep.append("ONBUILD ");
      }
      DockerfileException e = failure(deep + "RUN x\n");
      assertEquals("Dockerfile:1: ONBUILD nested more than 64 levels deep", e.getMessage());
    }

    @Test
    void stringAndListForms() throws DockerfileException {
      assertEquals("(maintainer \"Some One <a@b>\")\n(workdir \"/a b\")\n(expose \"80\" \"443/tcp\")\n"
              + "(volume \"/a\" \"/b\")\n(volume \"/c\")\n(stopsignal \"SIGTERM\")\n(user)",
          dump("MAINTAINER Some One <a@b>\nWORKDIR /a b\nEXPOSE 80\t443/tcp\n"
              + "VOLUME /a /b\nVOLUME [\"/c\"]\nSTOPSIGNAL SIGTERM\nUSER\n"));
    }
  }

  @Nested
  class Json {
    @Test
    void validArraysAreExecForm() throws DockerfileException {
      Node cmd = nodes("CMD [\"a\", \"b c\"]\n").get(0);
      assertTrue(cmd.json());
      assertEquals(List.of("a", "b c"), cmd.words());
      assertEquals("(cmd)", dump("CMD []\n"));
      assertTrue(nodes("CMD [ ]\n").get(0).json());
      assertFalse(nodes("CMD echo []\n").get(0).json());
    }

    @Test
    void stringEscapesAreDecoded() throws DockerfileException {
      Node cmd = nodes("CMD [\"\\u00e9\\ud83d\\ude00\", \"\\ud800x\", \"\\/\\t\"]\n").get(0);
      assertEquals(List.of("\u00e9\ud83d\ude00", "\ufffdx", "/\t"), cmd.words());
    }

    @Test
    void notJsonFallsBackToTheShellForm() throws DockerfileException {
      String[] shellForms = {
        "CMD [\"a\"] trailing", "CMD [\"a\",]", "CMD ['a']", "CMD [\"a\"", "CMD [01]",
        "CMD [1e400]", "CMD [\"a\", 1e400]", "CMD [\"a\\x\"]", "CMD [\"\\u12\"]", "CMD [tru]",
        "CMD [\"a\"]]", "CMD [\"a\"\u000b]", "CMD {}", "CMD [\"a\" \"b\"]", "CMD [-]",
        "CMD [1.]", "CMD [.5]", "CMD [1e]", "CMD [{\"a\" 1}]"
      };
      for (String line : shellForms) {
        Node cmd = nodes(line + "\n").get(0);
        assertFalse(cmd.json(), line);
        assertEquals(List.of(line.substring(4)), cmd.words(), line);
      }
      assertEquals(List.of("[\"a\"]", "x"), nodes("COPY [\"a\"] x\n").get(0).words());
    }

    @Test
    void aControlCharacterInAStringIsNotJson() throws DockerfileException {
      assertFalse(nodes("CMD [\"a\tb\"]\n").get(0).json());
    }

    @Test
    void nonStringElementsAreErrors() {
      for (String line : new String[] {"CMD [1]", "RUN [\"a\", true]", "ENTRYPOINT [null]",
          "SHELL [[\"a\"]]", "COPY [\"a\", {\"b\": [1, 2.5e-3, -0]}]", "VOLUME [false]",
          "ADD [1e-400]"}) {
        DockerfileException e = failure("FROM x\n" + line + "\n");
        assertEquals("Dockerfile:2: when using JSON array syntax, arrays must be comprised of "
            + "strings only", e.getMessage(), line);
      }
    }

    @Test
    void nestingLimitOfGo() throws DockerfileException {
      String ok = "[".repeat(10000) + "]".repeat(10000);
      assertEquals(InstructionArguments.NOT_STRING_ARRAY, failure("CMD " + ok + "\n").detail());
      String tooDeep = "[".repeat(10001) + "]".repeat(10001);
      assertFalse(nodes("CMD " + tooDeep + "\n").get(0).json());
      String unclosed = "[".repeat(50000);
      assertEquals(List.of(unclosed), nodes("CMD " + unclosed + "\n").get(0).words());
    }
  }

  @Nested
  class Errors {
    @Test
    void emptyAndCommentOnlyFilesHaveNoInstructions() {
      assertEquals("Dockerfile: file with no instructions", failure("").getMessage());
      assertEquals("file with no instructions", failure("# a\n\n   \n# b\n").detail());
    }

    @Test
    void overlongLinesAreRejectedLikeGosScanner() throws DockerfileException {
      String label = "a".repeat(65536);
      DockerfileException e = failure("FROM image\nLABEL test=" + label + "\n");
      assertEquals("Dockerfile:2: dockerfile line greater than max allowed size of 65535",
          e.getMessage());
      // 65535 bytes of content plus the newline still fit in Go's 64 KiB buffer
      String fits = "LABEL t=" + "b".repeat(65535 - 8);
      assertEquals(2, nodes("FROM image\n" + fits + "\n").size());
      // the limit counts UTF-8 bytes
      String wide = "LABEL t=" + "\u00e9".repeat(33000);
      assertEquals("dockerfile line greater than max allowed size of 65535",
          failure("FROM x\n" + wide).detail());
      // with no instruction before it, BuildKit reports the empty file instead
      assertEquals("file with no instructions", failure(label).detail());
    }

    @Test
    void messagesNameSourceAndLine() {
      DockerfileException e = assertThrows(DockerfileException.class,
          () -> DockerfileParser.parse("FROM a\nENV X\n"));
      assertEquals("line 2: ENV must have two arguments", e.getMessage());
      assertEquals(Optional.empty(), e.source());
    }

    @Test
    void userTextInMessagesStaysOnOneLine() {
      DockerfileException e = failure("# escape=a\rb\nFROM x\n");
      assertEquals("invalid escape token 'a\\rb' does not match ` or \\", e.detail());
    }
  }

  @Nested
  class Bytes {
    @Test
    void invalidUtf8IsKeptAndDumpedAsGoDoes() throws DockerfileException {
      byte[] df = {'R', 'U', 'N', ' ', 'e', ' ', (byte) 0xff, (byte) 0xc3, '\n'};
      ParseResult r = DockerfileParser.parse(df, "Dockerfile");
      assertEquals("(run \"e \\xff\\xc3\")", AstDump.dump(r.root()));
    }

    @Test
    void invalidUtf8InWordsBecomesReplacementCharacters() throws DockerfileException {
      byte[] df = "ARG a=\u0001\n".getBytes(StandardCharsets.UTF_8);
      df[6] = (byte) 0x80;
      assertEquals("(arg \"a=\ufffd\")",
          AstDump.dump(DockerfileParser.parse(df, null).root()));
    }

    @Test
    void healthcheckFindsItsTypeByteByByte() throws DockerfileException {
      // à is C3 A0 and Go's unicode.IsSpace(0xA0) is true
      assertEquals("(healthcheck \"CMD\\xc3\" \"x\")", dump("HEALTHCHECK CMD\u00e0 x\n"));
    }

    @Test
    void loneSurrogatesInTextAreInvalidBytes() throws DockerfileException {
      assertEquals("(run \"\\xed\\xa0\\x80\")", dump("RUN \ud800\n"));
    }
  }
}
