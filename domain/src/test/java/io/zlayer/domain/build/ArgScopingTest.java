package io.zlayer.domain.build;

import static io.zlayer.domain.build.Builds.AMD64;
import static io.zlayer.domain.build.Builds.ARM64;
import static io.zlayer.domain.build.Builds.createdBy;
import static io.zlayer.domain.build.Builds.dockerfile;
import static io.zlayer.domain.build.Builds.evaluate;
import static io.zlayer.domain.build.Builds.image;
import static io.zlayer.domain.build.Builds.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.build.Builds.Evaluation;
import io.zlayer.domain.build.Builds.Request;
import io.zlayer.domain.dockerfile.instructions.Workdir;
import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ARG and ENV scoping, as BuildKit's dispatcher resolves them. */
class ArgScopingTest {
  private static final String PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static String workdir(EvaluatedStep step) {
    return ((Workdir) step.expanded()).path();
  }

  @Test
  void globalArgIsInvisibleInAStageUntilRedeclared() throws Exception {
    Evaluation e = evaluate(dockerfile("ARG V=global", "FROM scratch", "WORKDIR /$V",
        "RUN echo $V", "ARG V", "WORKDIR /$V", "RUN echo $V"));
    List<EvaluatedStep> steps = e.target();
    assertEquals("/", workdir(steps.get(0)));
    assertEquals(List.of(PATH), run(steps.get(1)).environment());
    assertEquals("RUN /bin/sh -c echo $V # buildkit", createdBy(steps.get(1)));
    assertEquals("ARG V=global", createdBy(steps.get(2)));
    assertEquals("/global", workdir(steps.get(3)));
    assertEquals(List.of(PATH, "V=global"), run(steps.get(4)).environment());
    assertEquals("RUN |1 V=global /bin/sh -c echo $V # buildkit", createdBy(steps.get(4)));
  }

  @Test
  void buildArgOverridesDefaultsInEveryScope() throws Exception {
    String df = dockerfile("ARG V=meta", "FROM scratch", "ARG V", "ARG W=stage",
        "RUN env");
    EvaluatedStep plain = evaluate(df).last();
    assertEquals(List.of(PATH, "V=meta", "W=stage"), run(plain).environment());
    EvaluatedStep given = evaluate(df, Map.of("V", "cli", "W", "cli2")).last();
    assertEquals(List.of(PATH, "V=cli", "W=cli2"), run(given).environment());
    assertEquals("RUN |2 V=cli W=cli2 /bin/sh -c env # buildkit", createdBy(given));
  }

  @Test
  void envAfterArgWinsAndArgAfterEnvWinsForTheBuild() throws Exception {
    Evaluation envWins = evaluate(dockerfile("FROM scratch", "ARG A=1", "ENV A=2",
        "RUN echo $A"));
    assertEquals(List.of(PATH, "A=2"), run(envWins.last()).environment());
    assertEquals("RUN |1 A=2 /bin/sh -c echo $A # buildkit", createdBy(envWins.last()));
    assertEquals(Optional.of("2"), envWins.config().envValue("A"));

    Evaluation argLater = evaluate(dockerfile("FROM scratch", "ENV A=2", "ARG A=1",
        "WORKDIR /$A", "RUN echo $A"));
    assertEquals("/1", workdir(argLater.target().get(2)));
    assertEquals(List.of(PATH, "A=1"), run(argLater.last()).environment());
    assertEquals(Optional.of("2"), argLater.config().envValue("A"));
  }

  @Test
  void baseImageEnvStaysUnlessTheArgGetsAValue() throws Exception {
    String df = dockerfile("FROM parent", "ARG HELLO", "RUN echo $HELLO");
    Map<String, io.zlayer.domain.image.ImageConfig> images =
        Map.of("parent:latest", image("PATH=/bin", "HELLO=World"));
    EvaluatedStep unset = evaluate(Builds.plan(df), images).last();
    assertEquals(List.of("PATH=/bin", "HELLO=World"), run(unset).environment());
    assertEquals("RUN |1 HELLO=World /bin/sh -c echo $HELLO # buildkit", createdBy(unset));
    Evaluation given = evaluate(Builds.plan(df, Map.of("HELLO", "cli")), images);
    assertEquals(List.of("PATH=/bin", "HELLO=cli"), run(given.last()).environment());
    assertEquals(Optional.of("World"), given.config().envValue("HELLO"));
  }

  @Test
  void argDefaultsExpandWithEarlierArgsAndEnv() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "ENV ROOT=/srv", "ARG A=x",
        "ARG B=${A}y C=$ROOT/$A", "RUN true"));
    assertEquals(List.of(PATH, "ROOT=/srv", "A=x", "B=xy", "C=/srv/x"),
        run(e.last()).environment());
    assertEquals("ARG B=xy C=/srv/x", createdBy(e.target().get(2)));
  }

  @Test
  void unsetArgExpandsToEmptyAndIsNotInTheEnvironment() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "ARG U", "ARG E=",
        "WORKDIR /a$U/${U-unset}/${E-unset}b", "RUN true"));
    assertEquals("/a/unset/b", workdir(e.target().get(2)));
    assertEquals(List.of(PATH, "E="), run(e.last()).environment());
    assertEquals("ARG U", createdBy(e.target().get(0)));
    assertEquals("RUN |2 U= E= /bin/sh -c true # buildkit", createdBy(e.last()));
  }

  @Test
  void metaArgWithoutValueStaysUnsetInTheStage() throws Exception {
    EvaluatedStep step = evaluate(dockerfile("ARG M", "FROM scratch", "ARG M",
        "RUN true")).last();
    assertEquals(List.of(PATH), run(step).environment());
  }

  @Test
  void platformArgsNeedAnArgInTheStage() throws Exception {
    String df = dockerfile("FROM scratch", "RUN echo $TARGETARCH", "ARG TARGETARCH",
        "ARG BUILDPLATFORM", "RUN echo $TARGETARCH", "ARG TARGETOS=custom", "RUN true");
    Evaluation e = evaluate(new Request(df).platforms(AMD64, ARM64).plan(), Map.of());
    List<EvaluatedStep> steps = e.target();
    assertEquals(List.of(PATH), run(steps.get(0)).environment());
    assertEquals(List.of(PATH, "TARGETARCH=arm64", "BUILDPLATFORM=linux/amd64"),
        run(steps.get(3)).environment());
    assertEquals(List.of(PATH, "TARGETARCH=arm64", "BUILDPLATFORM=linux/amd64",
        "TARGETOS=custom"), run(steps.get(5)).environment());
  }

  @Test
  void proxyArgsReachRunWithoutArgAndStayOutOfHistoryAndCache() throws Exception {
    Map<String, String> args = Map.of("HTTP_PROXY", "http://p:3128", "no_proxy", "local");
    EvaluatedStep step = evaluate(dockerfile("FROM scratch", "RUN curl x"), args).last();
    StepAction.RunCommand run = run(step);
    assertEquals(List.of(PATH), run.environment());
    assertEquals(List.of("HTTP_PROXY=http://p:3128", "http_proxy=http://p:3128",
        "NO_PROXY=local", "no_proxy=local"), run.proxyEnvironment());
    assertEquals(List.of(PATH, "HTTP_PROXY=http://p:3128", "http_proxy=http://p:3128",
        "NO_PROXY=local", "no_proxy=local"), run.processEnvironment());
    assertEquals("RUN /bin/sh -c curl x # buildkit", createdBy(step));
    assertTrue(!step.cacheFacts().key().contains("p:3128"));
  }

  @Test
  void declaredProxyArgIsAnOrdinaryArg() throws Exception {
    EvaluatedStep step = evaluate(dockerfile("FROM scratch", "ARG HTTP_PROXY", "RUN true"),
        Map.of("HTTP_PROXY", "p")).last();
    assertEquals(List.of(PATH, "HTTP_PROXY=p"), run(step).environment());
    assertEquals("RUN |1 HTTP_PROXY=p /bin/sh -c true # buildkit", createdBy(step));
  }

  @Test
  void aStageBaseHandsOverItsArgsAndBuildEnvironment() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch AS base", "ARG X=1", "ENV Y=env",
        "ARG Y=arg", "FROM base", "RUN echo"));
    EvaluatedStep step = e.last();
    // The child re-applies the image ENV over the inherited build environment.
    assertEquals(List.of(PATH, "X=1", "Y=env"), run(step).environment());
    assertEquals("RUN |2 X=1 Y=env /bin/sh -c echo # buildkit", createdBy(step));
  }

  @Test
  void argNamesAreNotExpandedAndBuildKitsScanArgsStayOutOfTheEnvironment() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "ARG BUILDKIT_SBOM_SCAN_STAGE=true",
        "RUN true"));
    assertEquals(List.of(PATH), run(e.last()).environment());
    assertEquals("RUN |1 BUILDKIT_SBOM_SCAN_STAGE=true /bin/sh -c true # buildkit",
        createdBy(e.last()));
  }

  @Test
  void argDefaultErrorsNameTheLine() {
    DockerfileException ex = assertThrows(DockerfileException.class,
        () -> evaluate(dockerfile("FROM scratch", "", "ARG A=${MISSING:?required}")));
    assertEquals(3, ex.line());
    assertTrue(ex.getMessage().startsWith("Dockerfile:3: failed to process"), ex.getMessage());
  }

  @Test
  void expansionErrorsStayOnOneLine() {
    DockerfileException ex = assertThrows(DockerfileException.class,
        () -> evaluate(dockerfile("FROM scratch", "WORKDIR /${A\rB}")));
    assertEquals("Dockerfile:2: failed to process \"/${A\\rB}\": unsupported modifier (\\r)"
        + " in substitution", ex.getMessage());
  }

  @Test
  void aBuildArgSkipsTheDefaultsExpansion() throws Exception {
    EvaluatedStep step = evaluate(dockerfile("FROM scratch", "ARG A=${MISSING:?required}",
        "RUN true"), Map.of("A", "given")).last();
    assertEquals(List.of(PATH, "A=given"), run(step).environment());
  }
}
