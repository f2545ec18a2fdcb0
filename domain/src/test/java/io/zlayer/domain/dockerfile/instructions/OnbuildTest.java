package io.zlayer.domain.dockerfile.instructions;

import static io.zlayer.domain.dockerfile.instructions.InstructionParserTest.assertError;
import static io.zlayer.domain.dockerfile.instructions.InstructionParserTest.parse;
import static io.zlayer.domain.dockerfile.instructions.Nodes.instruction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.domain.dockerfile.parser.Heredoc;
import io.zlayer.domain.dockerfile.parser.Node;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OnbuildTest {

  /** ONBUILD as BuildKit's parser builds it: the nested node has no lines of its own. */
  private static Nodes.Builder onbuild(Node nested, String original) {
    return instruction("ONBUILD").nested(nested).original(original);
  }

  private static Node sub(Nodes.Builder builder, String original) {
    return builder.original(original).lines(0, 0).build();
  }

  @Test
  void holdsTheParsedTrigger() throws Exception {
    Onbuild ob = parse(onbuild(sub(instruction("RUN").args("echo test"), "RUN echo test"),
        "ONBUILD RUN echo test").line(3).build(), Onbuild.class);
    assertEquals("RUN echo test", ob.expression());
    Run run = assertInstanceOf(Run.class, ob.trigger());
    assertEquals(new CommandLine.ShellForm("echo test"), run.command());
    assertEquals(3, run.location().startLine());
    assertEquals(new SourceLocation(3, 3), ob.location());
  }

  @Test
  void triggerKeepsItsFlagsAndForm() throws Exception {
    Onbuild ob = parse(onbuild(sub(instruction("COPY").flags("--chown=app").args(".", "/"),
        "COPY --chown=app . /"), "onbuild   COPY --chown=app . /").build(), Onbuild.class);
    assertEquals("COPY --chown=app . /", ob.expression());
    Copy copy = assertInstanceOf(Copy.class, ob.trigger());
    assertEquals(Optional.of("app"), copy.chown());
    Onbuild exec = parse(onbuild(sub(instruction("RUN").args("echo", "test").json(),
        "RUN [\"echo\", \"test\"]"), "ONBUILD RUN [\"echo\", \"test\"]").build(), Onbuild.class);
    assertEquals(List.of("echo", "test"), ((Run) exec.trigger()).command().words());
    assertFalse(((Run) exec.trigger()).command().prependsShell());
  }

  @Test
  void heredocsOfTheOuterNodeGoToTheTriggerAndTheExpression() throws Exception {
    Onbuild ob = parse(onbuild(sub(instruction("RUN").args("<<EOF"), "RUN <<EOF"),
        "ONBUILD RUN <<EOF").heredoc("EOF", "echo hi\n", true, false).lines(2, 4).build(),
        Onbuild.class);
    assertEquals("RUN <<EOF\necho hi\nEOF", ob.expression());
    assertEquals(List.of(new Heredoc("EOF", "echo hi\n", true, false)),
        ((Run) ob.trigger()).heredocs());
  }

  @Test
  void forbiddenTriggers() {
    assertError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        onbuild(sub(instruction("ONBUILD").nested(sub(instruction("RUN").args("touch foobar"),
            "RUN touch foobar")), "ONBUILD RUN touch foobar"),
            "ONBUILD ONBUILD RUN touch foobar").line(5).build());
    assertError("FROM isn't allowed as an ONBUILD trigger",
        onbuild(sub(instruction("FROM").args("scratch"), "FROM scratch"),
            "ONBUILD FROM scratch").line(6).build());
    assertError("MAINTAINER isn't allowed as an ONBUILD trigger",
        onbuild(sub(instruction("maintainer").args("me"), "maintainer me"),
            "ONBUILD maintainer me").build());
  }

  @Test
  void errorsInTheTriggerNameTheOnbuildLine() {
    assertError("unknown flag: --chwon (did you mean chown?)",
        onbuild(sub(instruction("COPY").flags("--chwon=x").args("a", "b"), "COPY --chwon=x a b"),
            "ONBUILD COPY --chwon=x a b").line(9).build());
    assertError("unknown instruction: RUM (did you mean RUN?)",
        onbuild(sub(instruction("RUM").args("x"), "RUM x"), "ONBUILD RUM x").line(10).build());
  }

  @Test
  void flagsOnOnbuildItselfAreChecked() {
    assertError("unknown flag: --x",
        onbuild(sub(instruction("RUN").args("x"), "RUN x"), "ONBUILD --x RUN x").flags("--x")
            .build());
  }

  @Test
  void aFlatArgumentListIsReadAsTheTrigger() throws Exception {
    Onbuild ob = parse(instruction("ONBUILD").args("WORKDIR", "/app")
        .original("ONBUILD WORKDIR /app").build(), Onbuild.class);
    assertEquals("/app", assertInstanceOf(Workdir.class, ob.trigger()).path());
  }

  @Test
  void theRecordRejectsForbiddenTriggers() {
    From from = new From(new SourceLocation(1, 1), "FROM a", "a", Optional.empty(),
        Optional.empty());
    assertThrows(IllegalArgumentException.class,
        () -> new Onbuild(new SourceLocation(1, 1), "ONBUILD FROM a", "FROM a", from));
  }
}
