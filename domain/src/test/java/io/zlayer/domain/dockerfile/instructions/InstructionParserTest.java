package io.zlayer.domain.dockerfile.instructions;

import static io.zlayer.domain.dockerfile.instructions.Nodes.instruction;
import static io.zlayer.domain.dockerfile.instructions.Nodes.keyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.dockerfile.parser.Heredoc;
import io.zlayer.domain.dockerfile.parser.Node;
import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstructionParserTest {

  static Instruction parse(Node node) throws DockerfileException {
    return InstructionParser.parse(node);
  }

  static <T extends Instruction> T parse(Node node, Class<T> type) throws DockerfileException {
    return assertInstanceOf(type, InstructionParser.parse(node));
  }

  /** Asserts the failure's detail and that it names the node's line. */
  static void assertError(String detail, Node node) {
    DockerfileException e = assertThrows(DockerfileException.class, () -> parse(node));
    assertEquals(detail, e.detail());
    assertEquals(node.startLine(), e.line());
    assertEquals("line " + node.startLine() + ": " + detail, e.getMessage());
  }

  @Nested
  class ArgumentCounts {
    @ParameterizedTest
    @ValueSource(strings = {"MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL"})
    void exactlyOneArgument(String keyword) {
      assertError(keyword + " requires exactly one argument",
          instruction(keyword).line(4).build());
      assertError(keyword + " requires exactly one argument",
          instruction(keyword).args("a", "b").line(5).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ENV", "LABEL", "ONBUILD", "HEALTHCHECK", "EXPOSE", "VOLUME", "ARG",
        "SHELL"})
    void atLeastOneArgument(String keyword) {
      assertError(keyword + " requires at least one argument",
          instruction(keyword).line(7).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ADD", "COPY"})
    void noDestination(String keyword) {
      assertError(keyword + " requires at least two arguments, but only one was provided."
          + " Destination could not be determined", instruction(keyword).args("arg1").line(2)
          .build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ENV", "LABEL"})
    void keyValueTriplesMustBeComplete(String keyword) {
      assertError("Bad input to " + keyword + ", too many arguments",
          instruction(keyword).args("arg1", "arg2", "arg3", "").line(3).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ENV", "LABEL"})
    void blankNames(String keyword) {
      assertError(keyword + " names can not be blank",
          keyValues(keyword, "", "arg2", "=").line(9).build());
    }
  }

  @Nested
  class Unknown {
    @Test
    void suggestsTheClosestInstructionInTheUsersCase() {
      assertError("unknown instruction: FORM (did you mean FROM?)",
          instruction("FORM").args("alpine").line(3).build());
      assertError("unknown instruction: form (did you mean from?)",
          instruction("form").args("alpine").original("form alpine").line(3).build());
      assertError("unknown instruction: COPPY (did you mean COPY?)",
          instruction("COPPY").args("a", "b").build());
      assertError("unknown instruction: ENTRYPIONT (did you mean ENTRYPOINT?)",
          instruction("ENTRYPIONT").args("a").build());
    }

    @Test
    void mixedCaseGetsALowerCaseSuggestion() {
      assertError("unknown instruction: Runn (did you mean run?)",
          instruction("Runn").args("x").original("Runn x").build());
    }

    @Test
    void noSuggestionWhenNothingIsClose() {
      assertError("unknown instruction: XYZZY", instruction("XYZZY").args("x").build());
    }

    @Test
    void buildkitsOwnErrorCases() {
      assertError("unknown instruction: FOO (did you mean FROM?)",
          instruction("FOO").args("bar").build());
      assertError("unknown flag: --boo",
          instruction("MAINTAINER").flags("--boo").args("joe@example.com").build());
    }
  }

  @Nested
  class Locations {
    @Test
    void everyInstructionKeepsItsLinesAndTrimmedText() throws Exception {
      Node node = instruction("RUN").args("echo hi").lines(4, 6)
          .original("  RUN echo \\\n  hi  ").build();
      Run run = parse(node, Run.class);
      assertEquals(new SourceLocation(4, 6), run.location());
      assertEquals("RUN echo \\\n  hi", run.original());
      assertEquals("run", run.keyword());
    }
  }

  @Nested
  class EnvAndLabel {
    @Test
    void envPairsInOrder() throws Exception {
      Env env = parse(keyValues("ENV", "a", "b", "=", "c", "d e", "=").build(), Env.class);
      assertEquals(List.of(new KeyValue("a", "b", false), new KeyValue("c", "d e", false)),
          env.pairs());
    }

    @Test
    void legacyFormHasNoSeparator() throws Exception {
      Env env = parse(keyValues("ENV", "a", "b c", "").build(), Env.class);
      assertEquals(List.of(new KeyValue("a", "b c", true)), env.pairs());
    }

    @Test
    void emptyValueIsKept() throws Exception {
      Label label = parse(keyValues("LABEL", "empty", "", "=").build(), Label.class);
      assertEquals(List.of(new KeyValue("empty", "", false)), label.pairs());
    }

    @Test
    void flagsAreChecked() {
      assertError("unknown flag: --x", keyValues("ENV", "a", "b", "=").flags("--x").build());
      assertError("unknown flag: --x", keyValues("LABEL", "a", "b", "=").flags("--x").build());
    }
  }

  @Nested
  class Args {
    @Test
    void namesWithAndWithoutDefaults() throws Exception {
      Arg arg = parse(instruction("ARG").args("a", "b=c", "d=", "e=f=g").build(), Arg.class);
      assertEquals(List.of(
          new ArgDefinition("a", Optional.empty()),
          new ArgDefinition("b", Optional.of("c")),
          new ArgDefinition("d", Optional.of("")),
          new ArgDefinition("e", Optional.of("f=g"))), arg.args());
    }

    @Test
    void blankName() {
      assertError("ARG names can not be blank", instruction("ARG").args("=x").line(2).build());
    }

    @Test
    void flagsAreIgnoredAsBuildKitDoes() throws Exception {
      Arg arg = parse(instruction("ARG").flags("--whatever").args("a").build(), Arg.class);
      assertEquals("a", arg.args().get(0).name());
    }
  }

  @Nested
  class FromInstruction {
    @Test
    void imageOnly() throws Exception {
      From from = parse(instruction("FROM").args("alpine:3.20").build(), From.class);
      assertEquals("alpine:3.20", from.image());
      assertEquals(Optional.empty(), from.stageName());
      assertEquals(Optional.empty(), from.platform());
    }

    @Test
    void stageNameIsLowerCasedAndAsIsCaseInsensitive() throws Exception {
      From from = parse(instruction("FROM").args("${BASE}", "As", "Build-Stage_1.x").build(),
          From.class);
      assertEquals("${BASE}", from.image());
      assertEquals(Optional.of("build-stage_1.x"), from.stageName());
    }

    @Test
    void platformFlag() throws Exception {
      From from = parse(instruction("FROM").flags("--platform=$BUILDPLATFORM")
          .args("golang", "AS", "build").build(), From.class);
      assertEquals(Optional.of("$BUILDPLATFORM"), from.platform());
    }

    @Test
    void invalidStageNames() {
      assertError("invalid name for build stage: \"1stage\", name can't start with a number or"
          + " contain symbols", instruction("FROM").args("a", "AS", "1stage").line(3).build());
      assertError("invalid name for build stage: \"st@ge\", name can't start with a number or"
          + " contain symbols", instruction("FROM").args("a", "as", "st@ge").build());
      assertError("invalid name for build stage: \"-x\", name can't start with a number or"
          + " contain symbols", instruction("FROM").args("a", "as", "-x").build());
    }

    @Test
    void wrongArgumentCounts() {
      String detail = "FROM requires either one or three arguments";
      assertError(detail, instruction("FROM").build());
      assertError(detail, instruction("FROM").args("a", "b").build());
      assertError(detail, instruction("FROM").args("a", "b", "c").build());
      assertError(detail, instruction("FROM").args("a", "as", "b", "c").build());
    }

    @Test
    void unknownFlag() {
      assertError("unknown flag: --platfrom (did you mean platform?)",
          instruction("FROM").flags("--platfrom=linux/amd64").args("a").build());
    }
  }

  @Nested
  class CopyInstruction {
    @Test
    void plainSourcesAndDestination() throws Exception {
      Copy copy = parse(instruction("COPY").args("a", "b/*.txt", "/dest/").build(), Copy.class);
      assertEquals(List.of("a", "b/*.txt"), copy.sources());
      assertEquals("/dest/", copy.destination());
      assertEquals(List.of(), copy.inlineSources());
      assertEquals(Optional.empty(), copy.from());
      assertEquals(Optional.empty(), copy.chown());
      assertEquals(Optional.empty(), copy.chmod());
      assertFalse(copy.link());
      assertFalse(copy.parents());
      assertEquals(List.of(), copy.excludes());
    }

    @Test
    void everyFlag() throws Exception {
      Copy copy = parse(instruction("COPY").flags("--from=build", "--chown=1000:1000",
          "--chmod=0644", "--link", "--parents", "--exclude=*.md", "--exclude=tmp/")
          .args("src", "/app").build(), Copy.class);
      assertEquals(Optional.of("build"), copy.from());
      assertEquals(Optional.of("1000:1000"), copy.chown());
      assertEquals(Optional.of("0644"), copy.chmod());
      assertTrue(copy.link());
      assertTrue(copy.parents());
      assertEquals(List.of("*.md", "tmp/"), copy.excludes());
    }

    @Test
    void emptyStringFlagsCountAsAbsentAndBoolsTakeExplicitValues() throws Exception {
      Copy copy = parse(instruction("COPY").flags("--from=", "--link=false", "--parents=true")
          .args("a", "b").build(), Copy.class);
      assertEquals(Optional.empty(), copy.from());
      assertFalse(copy.link());
      assertTrue(copy.parents());
    }

    @Test
    void flagErrors() {
      assertError("unknown flag: --form (did you mean from?)",
          instruction("COPY").flags("--form=build").args("a", "b").line(6).build());
      assertError("missing a value on flag: --chown",
          instruction("COPY").flags("--chown").args("a", "b").build());
      assertError("duplicate flag specified: --from",
          instruction("COPY").flags("--from=a", "--from=b").args("a", "b").build());
      assertError("expecting boolean value for flag --link, not: yes",
          instruction("COPY").flags("--link=yes").args("a", "b").build());
      assertError("unknown flag: --keep-git-dir",
          instruction("COPY").flags("--keep-git-dir").args("a", "b").build());
    }

    @Test
    void heredocSources() throws Exception {
      Copy copy = parse(instruction("COPY").args("<<EOF1", "foo.txt", "<<'EOF2'", "/bar")
          .heredoc("EOF1", "first $X\n", true, false)
          .heredoc("EOF2", "second $X\n", false, false).lines(1, 6).build(), Copy.class);
      assertEquals(List.of("foo.txt"), copy.sources());
      assertEquals(List.of(new SourceContent("EOF1", "first $X\n", true),
          new SourceContent("EOF2", "second $X\n", false)), copy.inlineSources());
      assertEquals("/bar", copy.destination());
    }

    @Test
    void buildkitsHeredocCases() throws Exception {
      assertEquals(List.of(new SourceContent("EOF", "", true)),
          parse(instruction("COPY").args("<<EOF", "/bar").heredoc("EOF", "", true, false)
              .build(), Copy.class).inlineSources());
      assertEquals(List.of(new SourceContent("EOF", "TESTING\n", true)),
          parse(instruction("COPY").args("<<-EOF", "/bar")
              .heredoc("EOF", "\tTESTING\n", true, true).build(), Copy.class).inlineSources());
      assertEquals(List.of(new SourceContent("EOF", "TESTING\n", false)),
          parse(instruction("COPY").args("<<\"EOF\"", "/bar")
              .heredoc("EOF", "TESTING\n", false, false).build(), Copy.class).inlineSources());
      assertEquals(List.of(new SourceContent("EOF", "\"quotes\"\n", true)),
          parse(instruction("COPY").args("<<EOF", "/quotes")
              .heredoc("EOF", "\"quotes\"\n", true, false).build(), Copy.class)
              .inlineSources());
    }

    @Test
    void heredocDestinationIsRejected() {
      assertError("COPY cannot accept a heredoc as a destination",
          instruction("COPY").args("/foo", "<<EOF").heredoc("EOF", "", true, false).line(3)
              .build());
      assertError("ADD cannot accept a heredoc as a destination",
          instruction("ADD").args("/foo", "<<EOF").heredoc("EOF", "", true, false).build());
    }

    @Test
    void jsonFormKeepsSpaces() throws Exception {
      Copy copy = parse(instruction("COPY").args("a b", "/c d/").json().build(), Copy.class);
      assertEquals(List.of("a b"), copy.sources());
      assertEquals("/c d/", copy.destination());
    }
  }

  @Nested
  class AddInstruction {
    @Test
    void everyFlag() throws Exception {
      Add add = parse(instruction("ADD").flags("--chown=app", "--chmod=u+x", "--link",
          "--keep-git-dir=true", "--checksum=sha256:abc", "--unpack=false", "--exclude=.git")
          .args("https://example.com/a.tar.gz", "/opt/").build(), Add.class);
      assertEquals(List.of("https://example.com/a.tar.gz"), add.sources());
      assertEquals("/opt/", add.destination());
      assertEquals(Optional.of("app"), add.chown());
      assertEquals(Optional.of("u+x"), add.chmod());
      assertTrue(add.link());
      assertTrue(add.keepGitDir());
      assertEquals(Optional.of("sha256:abc"), add.checksum());
      assertEquals(Optional.of(false), add.unpack());
      assertEquals(List.of(".git"), add.excludes());
    }

    @Test
    void unpackIsAbsentUnlessWritten() throws Exception {
      assertEquals(Optional.empty(),
          parse(instruction("ADD").args("a", "b").build(), Add.class).unpack());
      assertEquals(Optional.of(true),
          parse(instruction("ADD").flags("--unpack").args("a", "b").build(), Add.class)
              .unpack());
    }

    @Test
    void copyOnlyFlagsAreUnknown() {
      assertError("unknown flag: --from", instruction("ADD").flags("--from=x").args("a", "b")
          .build());
      assertError("unknown flag: --parents",
          instruction("ADD").flags("--parents").args("a", "b").build());
    }
  }

  @Nested
  class RunInstruction {
    @Test
    void shellForm() throws Exception {
      Run run = parse(instruction("RUN").args("apt-get update && apt-get install -y curl")
          .build(), Run.class);
      assertEquals(new CommandLine.ShellForm("apt-get update && apt-get install -y curl"),
          run.command());
      assertTrue(run.command().prependsShell());
      assertEquals(NetworkMode.DEFAULT, run.network());
      assertEquals(SecurityMode.SANDBOX, run.security());
      assertEquals(List.of(), run.mountSpecs());
      assertTrue(run.mountsResolved());
    }

    @Test
    void execForm() throws Exception {
      Run run = parse(instruction("RUN").args("ls", "/").json().build(), Run.class);
      assertEquals(new CommandLine.ExecForm(List.of("ls", "/")), run.command());
      Run heredocLike = parse(instruction("RUN").args("<<EOF").json().build(), Run.class);
      assertEquals(List.of("<<EOF"), heredocLike.command().words());
      assertEquals(List.of(), heredocLike.heredocs());
    }

    @Test
    void heredocsStayRawForTheShell() throws Exception {
      Run run = parse(instruction("RUN").args("<<'EOF' | python")
          .heredoc("EOF", "print(\"$HOME\")\n", false, false).lines(2, 4).build(), Run.class);
      assertEquals(new CommandLine.ShellForm("<<'EOF' | python"), run.command());
      assertEquals(List.of(new Heredoc("EOF", "print(\"$HOME\")\n", false, false)),
          run.heredocs());
      assertEquals(new SourceLocation(2, 4), run.location());
    }

    @Test
    void mountsAreKeptRawUntilExpanded() throws Exception {
      Run run = parse(instruction("RUN").flags("--mount=type=cache,target=/root/.cache",
          "--mount=type=secret,id=npmrc").args("npm ci").build(), Run.class);
      assertEquals(List.of("type=cache,target=/root/.cache", "type=secret,id=npmrc"),
          run.mountSpecs());
      assertEquals(List.of(), run.mounts());
      assertFalse(run.mountsResolved());
    }

    @Test
    void mountParseTimeErrors() {
      assertError("'from' doesn't support variable expansion, define alias stage instead",
          instruction("RUN").flags("--mount=from=$STAGE,target=/x").args("ls").line(8)
              .build());
      assertError("failed to parse csv mounts: bare \" in non-quoted-field",
          instruction("RUN").flags("--mount=target=/a\"b").args("ls").build());
    }

    @Test
    void networkModes() throws Exception {
      assertEquals(NetworkMode.NONE, parse(instruction("RUN").flags("--network=none")
          .args("x").build(), Run.class).network());
      assertEquals(NetworkMode.HOST, parse(instruction("RUN").flags("--network=host")
          .args("x").build(), Run.class).network());
      assertEquals(NetworkMode.DEFAULT, parse(instruction("RUN").flags("--network=default")
          .args("x").build(), Run.class).network());
      assertError("network mode \"bridge\" not supported",
          instruction("RUN").flags("--network=bridge").args("x").line(2).build());
      assertError("network mode \"HOST\" not supported",
          instruction("RUN").flags("--network=HOST").args("x").build());
    }

    @Test
    void securityModes() throws Exception {
      assertEquals(SecurityMode.INSECURE, parse(instruction("RUN").flags("--security=insecure")
          .args("x").build(), Run.class).security());
      assertEquals(SecurityMode.SANDBOX, parse(instruction("RUN").flags("--security=sandbox")
          .args("x").build(), Run.class).security());
      assertError("security \"privileged\" is not valid",
          instruction("RUN").flags("--security=privileged").args("x").build());
    }

    @Test
    void flagErrors() {
      assertError("unknown flag: --mout (did you mean mount?)",
          instruction("RUN").flags("--mout=type=bind").args("x").build());
      assertError("missing a value on flag: --mount",
          instruction("RUN").flags("--mount").args("x").build());
      assertError("duplicate flag specified: --network",
          instruction("RUN").flags("--network=none", "--network=host").args("x").build());
    }
  }

  @Nested
  class CmdEntrypointShell {
    @Test
    void cmdForms() throws Exception {
      assertEquals(new CommandLine.ShellForm("echo $HOME"),
          parse(instruction("CMD").args("echo $HOME").build(), Cmd.class).command());
      assertEquals(new CommandLine.ExecForm(List.of("nginx", "-g", "daemon off;")),
          parse(instruction("CMD").args("nginx", "-g", "daemon off;").json().build(),
              Cmd.class).command());
      assertEquals(new CommandLine.ShellForm(""),
          parse(instruction("CMD").build(), Cmd.class).command());
      assertEquals(new CommandLine.ExecForm(List.of()),
          parse(instruction("CMD").json().build(), Cmd.class).command());
    }

    @Test
    void entrypointForms() throws Exception {
      assertEquals(new CommandLine.ExecForm(List.of("/entrypoint.sh")),
          parse(instruction("ENTRYPOINT").args("/entrypoint.sh").json().build(),
              Entrypoint.class).command());
      assertEquals(new CommandLine.ShellForm("exec app"),
          parse(instruction("ENTRYPOINT").args("exec app").build(), Entrypoint.class)
              .command());
    }

    @Test
    void unknownFlags() {
      assertError("unknown flag: --doit", instruction("CMD").flags("--doit").args("a", "b")
          .json().build());
      assertError("unknown flag: --x", instruction("ENTRYPOINT").flags("--x").args("a")
          .build());
    }

    @Test
    void shellNeedsJson() throws Exception {
      assertEquals(List.of("/bin/bash", "-o", "pipefail", "-c"),
          parse(instruction("SHELL").args("/bin/bash", "-o", "pipefail", "-c").json().build(),
              Shell.class).shell());
      assertError("SHELL requires the arguments to be in JSON form",
          instruction("SHELL").args("/bin/sh -c").line(5).build());
      assertError("SHELL requires at least one argument", instruction("SHELL").json().build());
    }

    @Test
    void shellHintsAtUnescapedWindowsPaths() {
      Node node = instruction("SHELL").args("[\"c:\\windows\\cmd.exe\", \"/S\"]")
          .original("SHELL [\"c:\\windows\\cmd.exe\", \"/S\"]").build();
      assertError("SHELL requires the arguments to be in JSON form. It looks like"
          + " '[\"c:\\windows\\cmd.exe\", \"/s\"]' includes a file path without an escaped"
          + " back-slash. JSON requires back-slashes to be escaped such as"
          + " [\"c:\\\\path\\\\to\\\\file.exe\", \"/parameter\"]", node);
    }
  }

  @Nested
  class SimpleValues {
    @Test
    void values() throws Exception {
      assertEquals("app:app", parse(instruction("USER").args("app:app").build(), User.class)
          .user());
      assertEquals("/srv/app", parse(instruction("WORKDIR").args("/srv/app").build(),
          Workdir.class).path());
      assertEquals("SIGTERM", parse(instruction("STOPSIGNAL").args("SIGTERM").build(),
          StopSignal.class).signal());
      assertEquals("Jane <jane@example.com>", parse(instruction("MAINTAINER")
          .args("Jane <jane@example.com>").build(), Maintainer.class).name());
    }

    @Test
    void exposeIsSortedAsBuildKitDoes() throws Exception {
      Expose expose = parse(instruction("EXPOSE").args("8080", "443/tcp", "53/udp", "$PORT")
          .build(), Expose.class);
      assertEquals(List.of("$PORT", "443/tcp", "53/udp", "8080"), expose.ports());
    }

    @Test
    void volumesAreTrimmed() throws Exception {
      assertEquals(List.of("/data", "/var/log"), parse(instruction("VOLUME")
          .args(" /data ", "/var/log").json().build(), Volume.class).paths());
      assertError("VOLUME specified can not be an empty string",
          instruction("VOLUME").args("/a", "  ").json().line(3).build());
    }

    @Test
    void flagsOnUserWorkdirAndExposeAreChecked() {
      assertError("unknown flag: --x", instruction("USER").flags("--x").args("a").build());
      assertError("unknown flag: --x", instruction("WORKDIR").flags("--x").args("a").build());
      assertError("unknown flag: --x", instruction("EXPOSE").flags("--x").args("80").build());
      assertError("unknown flag: --x", instruction("VOLUME").flags("--x").args("/a").build());
    }

    @Test
    void stopsignalFlagsAreIgnoredAsBuildKitDoes() throws Exception {
      assertEquals("9", parse(instruction("STOPSIGNAL").flags("--x").args("9").build(),
          StopSignal.class).signal());
    }
  }
}
