package io.zlayer.domain.build;

import static io.zlayer.domain.build.Builds.copy;
import static io.zlayer.domain.build.Builds.createdBy;
import static io.zlayer.domain.build.Builds.dockerfile;
import static io.zlayer.domain.build.Builds.evaluate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.build.Builds.Evaluation;
import io.zlayer.domain.build.StepAction.CopyFiles;
import io.zlayer.domain.dockerfile.instructions.Chmod;
import io.zlayer.domain.dockerfile.instructions.SourceContent;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.image.ImageReference;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CopyStepTest {

  private static CopyFiles lastCopy(String... lines) throws Exception {
    return copy(evaluate(dockerfile(lines)).last());
  }

  private static DockerfileException error(String... lines) {
    return assertThrows(DockerfileException.class, () -> evaluate(dockerfile(lines)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/      | .         | /",
      "/app   | .         | /app/",
      "/app   | ./        | /app/",
      "/app   | conf      | /app/conf",
      "/app   | conf/     | /app/conf/",
      "/app   | ../etc/x  | /etc/x",
      "/app   | /abs      | /abs",
      "/app   | /abs/     | /abs/",
      "/app   | sub/.     | /app/sub/.",
      "/app/  | x         | /app/x"})
  void destinationIsRelativeToTheWorkdir(String workdir, String dest, String resolved)
      throws Exception {
    assertEquals(resolved, lastCopy("FROM scratch", "WORKDIR " + workdir, "COPY a " + dest)
        .destination());
  }

  @Test
  void valuesAreExpandedAndChmodParsed() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "ARG U=app DIR=/srv M=0640",
        "COPY --chown=$U:$U --chmod=$M --exclude=*.tmp --link $DIR/a* ${DIR}/"));
    CopyFiles c = copy(e.last());
    assertEquals(Optional.of("app:app"), c.chown());
    assertEquals(Optional.of(new Chmod.Octal(0640)), c.chmod());
    assertEquals(List.of("*.tmp"), c.excludes());
    assertEquals(List.of("/srv/a*"), c.sources());
    assertEquals("/srv/", c.destination());
    assertTrue(c.link());
    assertEquals(new FileSource.BuildContext(), c.source());
    assertEquals("COPY --chown=app:app --chmod=0640 /srv/a* /srv/ # buildkit",
        createdBy(e.last()));
    assertFalse(e.last().history().orElseThrow().emptyLayer());
  }

  @Test
  void fromStagesImagesAndScratch() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM alpine AS build", "FROM scratch",
        "COPY --from=build /out /a", "COPY --from=0 /out /b", "COPY --from=busybox:1 /bin /c",
        "COPY --from=scratch / /d", "COPY --parents --from=BUILD /x/./y /e"));
    List<EvaluatedStep> steps = e.target();
    assertEquals(new FileSource.StageOutput(0), copy(steps.get(0)).source());
    assertEquals(new FileSource.StageOutput(0), copy(steps.get(1)).source());
    assertEquals(new FileSource.Image(ImageReference.parse("busybox:1"), Builds.AMD64),
        copy(steps.get(2)).source());
    assertEquals(new FileSource.Scratch(), copy(steps.get(3)).source());
    assertTrue(copy(steps.get(4)).parents());
    assertEquals("COPY /out /a # buildkit", createdBy(steps.get(0)));
    assertEquals("COPY --parents /x/./y /e # buildkit", createdBy(steps.get(4)));
  }

  @Test
  void heredocSourcesExpandOnlyWhenUnquoted() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "ARG NAME=world",
        "COPY <<greeting.txt <<'raw.txt' /etc/", "hello $NAME \"quoted\"", "greeting.txt",
        "keep $NAME", "raw.txt"));
    CopyFiles c = copy(e.last());
    assertEquals(List.of(new SourceContent("greeting.txt", "hello world \"quoted\"\n", true),
        new SourceContent("raw.txt", "keep $NAME\n", false)), c.inlineSources());
    assertEquals("COPY <<greeting.txt <<raw.txt /etc/ # buildkit", createdBy(e.last()));
    assertEquals(List.of(), c.sources());
  }

  @Test
  void copyRefusesUrlsAndGitSources() {
    assertEquals("Dockerfile:2: source can't be a URL for COPY",
        error("FROM scratch", "COPY http://github.com/moby/buildkit/blob/master/README.md /")
            .getMessage());
    assertEquals("Dockerfile:2: source can't be a git ref for COPY",
        error("FROM scratch", "COPY https://github.com/moby/buildkit.git /src").getMessage());
  }

  @Test
  void addAcceptsUrlsAndChecksChecksums() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch",
        "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d"
            + " --unpack=true https://example.com/a.tar.gz /opt/"));
    CopyFiles c = copy(e.last());
    assertTrue(c.add());
    assertEquals(Optional.of(true), c.unpack());
    assertEquals(List.of("https://example.com/a.tar.gz"), c.sources());
    assertEquals("ADD https://example.com/a.tar.gz /opt/ # buildkit", createdBy(e.last()));
    assertEquals("Dockerfile:2: checksum can't be specified for multiple sources",
        error("FROM scratch", "ADD --checksum=sha256:00 a b /").getMessage());
    assertEquals("Dockerfile:2: checksum requires HTTP(S) or Git sources",
        error("FROM scratch", "ADD --checksum=sha256:00 local.tar /").getMessage());
  }

  @Test
  void invalidChmodAfterExpansion() {
    assertEquals("Dockerfile:3: invalid chmod parameter: '8888'. it should be octal string and"
        + " between 0 and 07777",
        error("FROM scratch", "ARG M=8888", "COPY --chmod=$M a /").getMessage());
  }

  @Test
  void copyFromATriggerStageThatWasNotBuiltIsAnError() throws Exception {
    String df = dockerfile("FROM alpine AS unused", "FROM base", "RUN true");
    BuildPlan plan = Builds.plan(df);
    assertEquals(List.of(0), plan.unusedStages());
    io.zlayer.domain.image.ImageConfig base = Builds.image(
        io.zlayer.domain.image.ContainerConfig.EMPTY.toBuilder()
            .onBuild(List.of("COPY --from=unused / /")).build());
    DockerfileException ex = assertThrows(DockerfileException.class, () -> Builds.evaluate(
        plan, java.util.Map.of("base:latest", base)));
    assertEquals("Dockerfile:2: cannot copy from stage \"unused\", it needs to be defined"
        + " before current stage \"stage-1\"", ex.getMessage());
  }
}
