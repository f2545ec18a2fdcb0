package io.zlayer.domain.build;

import static io.zlayer.domain.build.Builds.createdBy;
import static io.zlayer.domain.build.Builds.dockerfile;
import static io.zlayer.domain.build.Builds.evaluate;
import static io.zlayer.domain.build.Builds.image;
import static io.zlayer.domain.build.Builds.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.build.Builds.Evaluation;
import io.zlayer.domain.dockerfile.instructions.Copy;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.ImageConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ONBUILD triggers: run first in the child, never inherited by it. */
class OnbuildTriggersTest {

  private static ImageConfig withTriggers(String... triggers) {
    return image(ContainerConfig.EMPTY.toBuilder().env(List.of("PATH=/bin"))
        .onBuild(List.of(triggers)).build());
  }

  private static Evaluation fromBase(ImageConfig base, String... lines) throws Exception {
    return evaluate(Builds.plan(dockerfile(lines)), Map.of("base:latest", base));
  }

  @Test
  void imageTriggersRunFirstAndAreNotInherited() throws Exception {
    Evaluation e = fromBase(withTriggers("ARG GREETING=hi", "RUN echo $GREETING",
        "COPY . /src"), "FROM base", "ONBUILD RUN own", "RUN echo child");
    List<EvaluatedStep> steps = e.target();
    assertEquals(List.of(true, true, true, false, false),
        steps.stream().map(EvaluatedStep::onbuildTrigger).toList());
    assertEquals("RUN |1 GREETING=hi /bin/sh -c echo $GREETING # buildkit",
        createdBy(steps.get(1)));
    assertEquals("/src", ((Copy) steps.get(2).expanded()).destination());
    assertEquals(1, steps.get(2).instruction().location().startLine());
    assertEquals(List.of("RUN own"), e.config().onBuild());
  }

  @Test
  void triggersOfABaseStageRunInTheChild() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch AS base", "ONBUILD ENV FROM_TRIGGER=1",
        "ONBUILD RUN <<EOF", "echo heredoc", "EOF", "FROM base", "RUN env"));
    List<EvaluatedStep> steps = e.target();
    assertTrue(steps.get(0).onbuildTrigger());
    assertEquals(List.of("/bin/sh", "-c", "echo heredoc\n"), run(steps.get(1)).argv());
    assertEquals(List.of(), e.config().onBuild());
    assertTrue(run(e.last()).environment().contains("FROM_TRIGGER=1"));
    assertEquals(List.of("ENV FROM_TRIGGER=1", "RUN <<EOF\necho heredoc\nEOF"),
        e.evaluators().get(0).config().onBuild());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "FROM alpine | FROM isn't allowed as an ONBUILD trigger",
      "maintainer me | MAINTAINER isn't allowed as an ONBUILD trigger",
      "ONBUILD RUN x | Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
      "BOGUS x | unknown instruction: BOGUS"})
  void forbiddenTriggersFailAtTheFromLine(String trigger, String message) {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> fromBase(withTriggers(trigger), "ARG X", "", "FROM base"));
    assertEquals("Dockerfile:3: " + message, e.getMessage());
  }

  @Test
  void aTriggerMustBeOneInstruction() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> fromBase(withTriggers("RUN a\nRUN b"), "FROM base"));
    assertEquals("Dockerfile:1: onbuild trigger should be a single expression", e.getMessage());
  }

  @Test
  void triggerExpansionErrorsNameTheFromLine() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> fromBase(withTriggers("WORKDIR ${NEED:?set NEED}"), "FROM scratch", "FROM base"));
    assertEquals(2, e.line());
  }

  @Test
  void imageTriggerDependenciesAreAddedWhenPlanningAgain() throws Exception {
    BuildPlanRequest request = new BuildPlanRequest(dockerfile("FROM alpine AS assets",
        "FROM base", "RUN true"), "Dockerfile", Map.of(), java.util.Optional.empty(),
        Builds.AMD64, Builds.AMD64);
    BuildPlan first = BuildPlanner.plan(request);
    assertEquals(List.of(0), first.unusedStages());
    ImageConfig base = withTriggers("COPY --from=assets /out /out");
    BuildPlan second = BuildPlanner.plan(request,
        Map.of(1, base.config().onBuild()));
    assertEquals(List.of(), second.unusedStages());
    assertEquals(Set.of(0), second.stage(1).orElseThrow().stageDependencies());
    Evaluation e = evaluate(second, Map.of("base:latest", base));
    assertEquals(new FileSource.StageOutput(0), Builds.copy(e.target().get(0)).source());
    assertFalse(e.target().get(1).onbuildTrigger());
  }
}
