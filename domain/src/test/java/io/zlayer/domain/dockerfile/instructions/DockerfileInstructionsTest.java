package io.zlayer.domain.dockerfile.instructions;

import static io.zlayer.domain.dockerfile.instructions.Nodes.instruction;
import static io.zlayer.domain.dockerfile.instructions.Nodes.keyValues;
import static io.zlayer.domain.dockerfile.instructions.Nodes.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerfileInstructionsTest {

  @Test
  void argsBeforeTheFirstFromAreMetaArgs() throws Exception {
    ParsedDockerfile df = DockerfileInstructions.parse(root(
        instruction("ARG").args("GO_VERSION=1.22").line(1).build(),
        instruction("ARG").args("BASE").line(2).build(),
        instruction("FROM").args("golang:${GO_VERSION}", "AS", "Build").line(4).build(),
        instruction("ARG").args("GOOS").line(5).build(),
        instruction("RUN").args("go build ./...").line(6).build(),
        instruction("FROM").args("${BASE}").line(8).build(),
        instruction("COPY").flags("--from=build").args("/out", "/app").line(9).build(),
        instruction("CMD").args("/app").json().line(10).build()));

    assertEquals(2, df.metaArgs().size());
    assertEquals("GO_VERSION", df.metaArgs().get(0).args().get(0).name());
    assertEquals(2, df.stages().size());

    StageDefinition build = df.stages().get(0);
    assertEquals(0, build.index());
    assertEquals(Optional.of("build"), build.name());
    assertEquals("golang:${GO_VERSION}", build.from().image());
    assertEquals(List.of(Arg.class, Run.class),
        build.instructions().stream().map(Object::getClass).toList());

    StageDefinition last = df.lastStage();
    assertEquals(1, last.index());
    assertEquals(Optional.empty(), last.name());
    assertEquals(List.of(Copy.class, Cmd.class),
        last.instructions().stream().map(Object::getClass).toList());
    assertEquals(Optional.of(build), df.stage("BUILD"));
    assertEquals(Optional.empty(), df.stage("missing"));
  }

  @Test
  void instructionsBeforeTheFirstFromAreErrors() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> DockerfileInstructions.parse(root(
            instruction("ARG").args("A").line(1).build(),
            keyValues("ENV", "a", "b", "=").line(2).build(),
            instruction("FROM").args("alpine").line(3).build())));
    assertEquals("no build stage in current context", e.detail());
    assertEquals(2, e.line());
  }

  @Test
  void duplicateStageNamesAreRejected() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> DockerfileInstructions.parse(root(
            instruction("FROM").args("alpine", "AS", "base").line(1).build(),
            instruction("FROM").args("debian", "as", "Base").line(5).build())));
    assertEquals("duplicate stage name \"base\", first defined on line 1", e.detail());
    assertEquals(5, e.line());
  }

  @Test
  void instructionErrorsCarryTheirLine() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> DockerfileInstructions.parse(root(
            instruction("FROM").args("alpine").line(1).build(),
            instruction("FORM").args("x").line(7).build())));
    assertEquals("unknown instruction: FORM (did you mean FROM?)", e.detail());
    assertEquals(7, e.line());
    assertEquals("Dockerfile:7: unknown instruction: FORM (did you mean FROM?)",
        e.inSource("Dockerfile").getMessage());
  }

  @Test
  void aDockerfileNeedsAStage() {
    assertEquals("dockerfile contains no stages to build",
        assertThrows(DockerfileException.class, () -> DockerfileInstructions.parse(root()))
            .detail());
    assertEquals("dockerfile contains no stages to build",
        assertThrows(DockerfileException.class, () -> DockerfileInstructions.parse(root(
            instruction("ARG").args("A").build()))).detail());
  }

  @Test
  void unnamedStagesMayRepeatImages() throws Exception {
    ParsedDockerfile df = DockerfileInstructions.parse(root(
        instruction("FROM").args("alpine").line(1).build(),
        instruction("FROM").args("alpine").line(2).build(),
        instruction("ONBUILD").args("RUN", "true").original("ONBUILD RUN true").line(3)
            .build()));
    assertEquals(2, df.stages().size());
    assertInstanceOf(Onbuild.class, df.stages().get(1).instructions().get(0));
  }
}
