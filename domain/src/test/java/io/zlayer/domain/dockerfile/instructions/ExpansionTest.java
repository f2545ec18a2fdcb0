package io.zlayer.domain.dockerfile.instructions;

import static io.zlayer.domain.dockerfile.instructions.InstructionParserTest.parse;
import static io.zlayer.domain.dockerfile.instructions.Nodes.instruction;
import static io.zlayer.domain.dockerfile.instructions.Nodes.keyValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which fields the builder expands, as BuildKit does. */
class ExpansionTest {
  private final FakeExpander env = new FakeExpander("IMG", "alpine", "TAG", "3.20", "P",
      "linux/arm64", "U", "app", "M", "0750", "S", "build", "DIR", "/srv", "PORTS", "80 443/tcp",
      "SIG", "SIGINT", "K", "key", "V", "val", "X", "x", "EMPTY", "");

  @Test
  void fromExpandsImageAndPlatformButNotTheStageName() throws Exception {
    From from = parse(instruction("FROM").flags("--platform=$P").args("$IMG:$TAG", "AS",
        "base").build(), From.class).expand(env);
    assertEquals("alpine:3.20", from.image());
    assertEquals(Optional.of("linux/arm64"), from.platform());
    assertEquals(Optional.of("base"), from.stageName());
  }

  @Test
  void fromWithABlankImageAfterExpansionFails() throws Exception {
    From from = parse(instruction("FROM").args("$EMPTY").line(2).build(), From.class);
    DockerfileException e = assertThrows(DockerfileException.class, () -> from.expand(env));
    assertEquals("base name ($EMPTY) should not be blank", e.detail());
    assertEquals(2, e.line());
  }

  @Test
  void copyExpandsPathsOwnershipModeSourceStageAndExcludes() throws Exception {
    Copy copy = parse(instruction("COPY").flags("--from=$S", "--chown=$U:$U", "--chmod=$M",
        "--exclude=$X.tmp", "--link").args("$DIR/a", "b", "$DIR/dest").build(), Copy.class)
        .expand(env);
    assertEquals(Optional.of("build"), copy.from());
    assertEquals(Optional.of("app:app"), copy.chown());
    assertEquals(Optional.of("0750"), copy.chmod());
    assertEquals(new Chmod.Octal(0750), copy.chmodMode().orElseThrow());
    assertEquals(List.of("x.tmp"), copy.excludes());
    assertEquals(List.of("/srv/a", "b"), copy.sources());
    assertEquals("/srv/dest", copy.destination());
    assertTrue(copy.link());
  }

  @Test
  void copyFlagsThatExpandToNothingBecomeAbsent() throws Exception {
    Copy copy = parse(instruction("COPY").flags("--from=$EMPTY").args("a", "b").build(),
        Copy.class).expand(env);
    assertEquals(Optional.empty(), copy.from());
  }

  @Test
  void chmodIsValidatedAfterExpansionAtTheInstructionLine() throws Exception {
    Copy copy = parse(instruction("COPY").flags("--chmod=${MODE}").args("a", "b").line(7)
        .build(), Copy.class);
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> copy.expand(new FakeExpander("MODE", "8888")));
    assertEquals(7, e.line());
    assertEquals("invalid chmod parameter: '8888'. it should be octal string and between 0 and"
        + " 07777", e.detail());
    Add add = parse(instruction("ADD").flags("--chmod=${MODE}").args("a", "b").build(),
        Add.class).expand(new FakeExpander("MODE", "go-w"));
    assertEquals(new Chmod.Symbolic("go-w"), add.chmodMode().orElseThrow());
  }

  @Test
  void addExpandsChecksumButKeepsBooleans() throws Exception {
    Add add = parse(instruction("ADD").flags("--checksum=sha256:$V", "--chown=$U",
        "--keep-git-dir", "--unpack=true").args("https://x/$K.tgz", "/$DIR").build(), Add.class)
        .expand(env);
    assertEquals(Optional.of("sha256:val"), add.checksum());
    assertEquals(Optional.of("app"), add.chown());
    assertEquals(List.of("https://x/key.tgz"), add.sources());
    assertEquals("//srv", add.destination());
    assertTrue(add.keepGitDir());
    assertEquals(Optional.of(true), add.unpack());
  }

  @Test
  void heredocBodiesAreExpandedOnlyByTheRawExpanderAndOnlyWhenUnquoted() throws Exception {
    Copy copy = parse(instruction("COPY").args("<<A", "<<'B'", "/d")
        .heredoc("A", "a=$X\n", true, false).heredoc("B", "b=$X\n", false, false).build(),
        Copy.class);
    Copy normal = copy.expand(env);
    assertEquals(copy.inlineSources(), normal.inlineSources());
    Copy raw = copy.expandRaw(env);
    assertEquals(List.of(new SourceContent("A", "a=x\n", true),
        new SourceContent("B", "b=$X\n", false)), raw.inlineSources());
    Add add = parse(instruction("ADD").args("<<A", "/d").heredoc("A", "$K\n", true, false)
        .build(), Add.class).expandRaw(env);
    assertEquals("key\n", add.inlineSources().get(0).data());
  }

  @Test
  void envLabelAndArgExpandKeysAndValues() throws Exception {
    Env e = parse(keyValues("ENV", "$K", "$V-1", "=", "plain", "$X", "").build(), Env.class)
        .expand(env);
    assertEquals(List.of(new KeyValue("key", "val-1", false), new KeyValue("plain", "x", true)),
        e.pairs());
    Label l = parse(keyValues("LABEL", "org.$K", "${V}", "=").build(), Label.class)
        .expand(env);
    assertEquals(List.of(new KeyValue("org.key", "val", false)), l.pairs());
    Arg a = parse(instruction("ARG").args("$K=$V", "other").build(), Arg.class).expand(env);
    assertEquals(List.of(new ArgDefinition("key", Optional.of("val")),
        new ArgDefinition("other", Optional.empty())), a.args());
  }

  @Test
  void exposeSplitsExpandedWords() throws Exception {
    Expose e = parse(instruction("EXPOSE").args("$PORTS", "8080").build(), Expose.class)
        .expand(env);
    assertEquals(List.of("80", "443/tcp", "8080"), e.ports());
  }

  @Test
  void singleValueInstructions() throws Exception {
    assertEquals("app", parse(instruction("USER").args("$U").build(), User.class).expand(env)
        .user());
    assertEquals("/srv/x", parse(instruction("WORKDIR").args("$DIR/$X").build(),
        Workdir.class).expand(env).path());
    assertEquals("SIGINT", parse(instruction("STOPSIGNAL").args("$SIG").build(),
        StopSignal.class).expand(env).signal());
    assertEquals(List.of("/srv", "/data"), parse(instruction("VOLUME").args("$DIR", "/data")
        .build(), Volume.class).expand(env).paths());
  }

  @Test
  void volumeExpandingToNothingFails() throws Exception {
    Volume v = parse(instruction("VOLUME").args("$EMPTY").line(4).build(), Volume.class);
    DockerfileException e = assertThrows(DockerfileException.class, () -> v.expand(env));
    assertEquals("VOLUME specified can not be an empty string", e.detail());
    assertEquals(4, e.line());
  }

  @Test
  void runExpandsMountsButNeverTheCommandOrHeredocs() throws Exception {
    Run run = parse(instruction("RUN").flags("--mount=type=bind,target=$DIR").args("echo $X")
        .heredoc("EOF", "$X\n", true, false).build(), Run.class);
    Run expanded = run.expand(env);
    assertEquals(new CommandLine.ShellForm("echo $X"), expanded.command());
    assertEquals(run.heredocs(), expanded.heredocs());
    assertEquals(Optional.of("/srv"), expanded.mounts().get(0).target());
    assertEquals(List.of("bind", "$DIR"), env.seen);
  }

  @Test
  void instructionsBuildKitDoesNotExpandAreNotExpandable() throws Exception {
    List<Instruction> plain = List.of(
        parse(instruction("CMD").args("echo $X").build()),
        parse(instruction("ENTRYPOINT").args("$X").json().build()),
        parse(instruction("SHELL").args("$X").json().build()),
        parse(instruction("HEALTHCHECK").args("CMD", "$X").build()),
        parse(instruction("MAINTAINER").args("$X").build()),
        parse(instruction("ONBUILD").args("RUN", "echo $X").original("ONBUILD RUN echo $X")
            .build()));
    for (Instruction i : plain) {
      assertFalse(i instanceof Expandable<?>, i.keyword() + " must not be expandable");
    }
  }

  @Test
  void genericDispatchThroughTheInterface() throws Exception {
    Instruction i = parse(instruction("USER").args("$U").build());
    Expandable<?> expandable = assertInstanceOf(Expandable.class, i);
    assertEquals("app", ((User) expandable.expand(env)).user());
    Instruction unchanged = parse(instruction("WORKDIR").args("/plain").build());
    assertEquals(unchanged, ((Workdir) unchanged).expand(env));
  }

  @Test
  void expanderErrorsNameTheInstructionLine() throws Exception {
    Copy copy = parse(instruction("COPY").args("${?}", "/d").line(11).build(), Copy.class);
    DockerfileException e = assertThrows(DockerfileException.class, () -> copy.expand(env));
    assertEquals(11, e.line());
    assertEquals("failed to process \"${?}\": bad substitution", e.detail());
    Env envInstr = parse(keyValues("ENV", "a", "${?}", "=").line(12).build(), Env.class);
    assertEquals(12, assertThrows(DockerfileException.class, () -> envInstr.expand(env))
        .line());
  }

  @Test
  void expansionDoesNotChangeTheOriginalRecord() throws Exception {
    User user = parse(instruction("USER").args("$U").build(), User.class);
    User expanded = user.expand(env);
    assertEquals("$U", user.user());
    assertSame(user.location(), expanded.location());
    assertEquals(user.original(), expanded.original());
  }
}
