package io.zlayer.domain.build;

import static io.zlayer.domain.build.Builds.AMD64;
import static io.zlayer.domain.build.Builds.ARM64;
import static io.zlayer.domain.build.Builds.dockerfile;
import static io.zlayer.domain.build.Builds.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.build.Builds.Request;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BuildPlannerTest {

  private static ImageReference ref(String s) throws Exception {
    return ImageReference.parse(s);
  }

  private static StageBase base(BuildPlan plan, int index) {
    return plan.stage(index).orElseThrow().base();
  }

  private static DockerfileException planError(String dockerfile) {
    return assertThrows(DockerfileException.class, () -> plan(dockerfile));
  }

  @Nested
  class MetaArgs {
    @Test
    void defaultsExpandWithEarlierMetaArgsAndBuildArgsOverride() throws Exception {
      String df = dockerfile("ARG REPO=library", "ARG IMAGE=${REPO}/alpine", "ARG TAG",
          "FROM ${IMAGE}:${TAG:-3}");
      assertEquals(new StageBase.Image(ref("alpine:3"), Optional.empty()), base(plan(df), 0));
      BuildPlan withArgs = plan(df, Map.of("REPO", "me", "TAG", "edge"));
      assertEquals(new StageBase.Image(ref("me/alpine:edge"), Optional.empty()),
          base(withArgs, 0));
      assertEquals("me/alpine", withArgs.metaArgs().get("IMAGE"));
      assertEquals("edge", withArgs.metaArgs().get("TAG"));
    }

    @Test
    void aBuildArgReplacesTheDefaultWithoutExpandingIt() throws Exception {
      BuildPlan p = plan(dockerfile("ARG V=${UNSET?boom}", "FROM busybox:$V"),
          Map.of("V", "1.36"));
      assertEquals(new StageBase.Image(ref("busybox:1.36"), Optional.empty()), base(p, 0));
    }

    @Test
    void anArgWithoutValueStaysUndefined() throws Exception {
      BuildPlan p = plan(dockerfile("ARG TAG", "FROM alpine:${TAG:-latest}"));
      assertTrue(!p.metaArgs().containsKey("TAG"));
      assertEquals(new StageBase.Image(ref("alpine:latest"), Optional.empty()), base(p, 0));
    }

    @Test
    void platformArgsAreAvailableInFromAndInMetaDefaults() throws Exception {
      String df = dockerfile("ARG SUFFIX=-$TARGETARCH", "FROM --platform=$BUILDPLATFORM"
          + " golang:1.22$SUFFIX AS build", "FROM alpine:${TARGETOS}-${TARGETARCH}",
          "COPY --from=build /out /out");
      BuildPlan p = new Request(df).platforms(AMD64, ARM64).plan();
      assertEquals(new StageBase.Image(ref("golang:1.22-arm64"), Optional.of(AMD64)),
          base(p, 0));
      assertEquals(AMD64, p.stage(0).orElseThrow().platform());
      assertEquals(new StageBase.Image(ref("alpine:linux-arm64"), Optional.empty()),
          base(p, 1));
      assertEquals(ARM64, p.stage(1).orElseThrow().platform());
      assertEquals("linux/amd64", p.metaArgs().get("BUILDPLATFORM"));
      assertEquals("linux/arm64", p.metaArgs().get("TARGETPLATFORM"));
      assertEquals("", p.metaArgs().get("TARGETVARIANT"));
    }

    @Test
    void automaticArgsComeInBuildKitsOrderAndCanBeOverridden() throws Exception {
      BuildPlan p = new Request(dockerfile("FROM scratch AS out"))
          .platforms(AMD64, Platform.of("linux", "arm", "v7"))
          .args(Map.of("TARGETARCH", "riscv64")).plan();
      assertEquals(List.of("BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH",
          "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH",
          "TARGETVARIANT", "TARGETSTAGE"), List.copyOf(p.args().automatic().keySet()));
      assertEquals("riscv64", p.metaArgs().get("TARGETARCH"));
      assertEquals("v7", p.metaArgs().get("TARGETVARIANT"));
      assertEquals("linux/arm/v7", p.metaArgs().get("TARGETPLATFORM"));
      assertEquals("out", p.metaArgs().get("TARGETSTAGE"));
    }

    @Test
    void metaArgErrorsNameTheArgLine() {
      DockerfileException e = planError(dockerfile("ARG A=ok", "ARG B=${A:?}x${NOPE?no nope}",
          "FROM scratch"));
      assertEquals(2, e.line());
      assertTrue(e.getMessage().startsWith("Dockerfile:2: failed to process"), e.getMessage());
    }
  }

  @Nested
  class From {
    @Test
    void onlyTheTargetAndTheStagesItIsBuiltFromHaveTheirLayersInTheImage() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine AS tools", "RUN make",
          "FROM alpine AS base", "RUN setup",
          "FROM base AS middle", "COPY --from=tools /bin/tool /bin/",
          "FROM middle", "RUN --mount=from=tools,target=/t true"));
      assertTrue(p.layersInImage(3)); // the target
      assertTrue(p.layersInImage(2)); // FROM middle
      assertTrue(p.layersInImage(1)); // middle is FROM base
      assertEquals(false, p.layersInImage(0)); // tools only feeds COPY --from and a mount
    }

    @Test
    void invalidReferenceIsAnErrorAtTheFromLine() {
      DockerfileException e = planError(dockerfile("FROM alpine AS a", "RUN true", "FROM Foo"));
      assertEquals(3, e.line());
      assertTrue(e.getMessage().startsWith("Dockerfile:3: invalid reference \"Foo\": "),
          e.getMessage());
    }

    @Test
    void invalidReferenceInAnUnusedStageIsStillAnError() {
      DockerfileException e = planError(dockerfile("FROM UPPER AS unused", "FROM alpine"));
      assertEquals(1, e.line());
    }

    @Test
    void blankBaseName() {
      assertEquals("Dockerfile:2: base name (${BLANK}) should not be blank",
          planError(dockerfile("ARG BLANK", "FROM ${BLANK} AS foo")).getMessage());
      assertEquals("Dockerfile:1: base name (\"\") should not be blank",
          planError(dockerfile("FROM \"\" AS foo")).getMessage());
    }

    @Test
    void expansionErrorsNameTheFromLine() {
      DockerfileException e = planError(dockerfile("FROM scratch", "FROM alpine:${V:?needV}"));
      assertEquals(2, e.line());
      assertTrue(e.getMessage().contains("needV"), e.getMessage());
    }

    @Test
    void emptyAndInvalidPlatforms() {
      assertEquals("Dockerfile:2: empty platform value from expression $TARGETPLATFROM"
          + " (did you mean TARGETPLATFORM?)",
          planError(dockerfile("FROM scratch", "FROM --platform=$TARGETPLATFROM alpine"))
              .getMessage());
      DockerfileException e = planError(dockerfile("FROM --platform=linux/arm64/v8/x alpine"));
      assertTrue(e.getMessage().startsWith(
          "Dockerfile:1: failed to parse platform linux/arm64/v8/x: "), e.getMessage());
    }

    @Test
    void scratchIsTheEmptyImageAndUsesTheTargetPlatform() throws Exception {
      BuildPlan p = new Request(dockerfile("FROM --platform=linux/amd64 scratch"))
          .platforms(AMD64, ARM64).plan();
      assertEquals(new StageBase.Scratch(), base(p, 0));
      assertEquals(ARM64, p.stage(0).orElseThrow().platform());
      assertEquals(List.of(), p.externalImages());
    }

    @Test
    void earlierStageNamesAreStagesLaterOnesAreImages() throws Exception {
      String df = dockerfile("FROM alpine AS base", "FROM base AS mid", "FROM later",
          "FROM busybox AS later");
      BuildPlan p = new Request(df).target("mid").plan();
      assertEquals(new StageBase.Stage(0), base(p, 1));
      BuildPlan all = plan(df + "FROM mid\nCOPY --from=2 / /\n");
      assertEquals(new StageBase.Image(ref("later"), Optional.empty()), base(all, 2));
    }

    @Test
    void stageBasesMatchTheExpandedNameExactly() throws Exception {
      String df = dockerfile("ARG B=builder", "FROM alpine AS builder", "FROM ${B}");
      assertEquals(new StageBase.Stage(0), base(plan(df), 1));
      DockerfileException e = planError(dockerfile("FROM alpine AS builder", "FROM Builder"));
      assertEquals(2, e.line());
      assertTrue(e.getMessage().contains("invalid reference \"Builder\""), e.getMessage());
    }

    @Test
    void aStageCannotBeItsOwnBase() throws Exception {
      BuildPlan p = plan(dockerfile("FROM foo AS foo"));
      assertEquals(new StageBase.Image(ref("foo"), Optional.empty()), base(p, 0));
    }

    @Test
    void stageBasesInheritTheParentsPlatform() throws Exception {
      BuildPlan p = new Request(dockerfile("FROM --platform=$BUILDPLATFORM alpine AS tools",
          "FROM --platform=linux/s390x tools")).platforms(AMD64, ARM64).plan();
      assertEquals(AMD64, p.stage(1).orElseThrow().platform());
    }
  }

  @Nested
  class Dependencies {
    @Test
    void copyFromNameIndexAndImage() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine AS a", "FROM busybox AS b", "FROM scratch",
          "COPY --from=a /x /x", "COPY --from=1 /y /y", "COPY --from=nginx:1 /z /z",
          "COPY --from=A /w /w"));
      PlannedStage last = p.stage(2).orElseThrow();
      assertEquals(Set.of(0, 1), last.stageDependencies());
      assertEquals(List.of(ref("nginx:1")), last.imageSources());
      assertEquals(List.of(new ExternalImage(ref("alpine"), AMD64),
          new ExternalImage(ref("busybox"), AMD64), new ExternalImage(ref("nginx:1"), AMD64)),
          p.externalImages());
      assertEquals(List.of(List.of(0, 1), List.of(2)), p.waves());
    }

    @Test
    void runMountFromNamesStagesNumbersAreImages() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine AS tools", "FROM scratch",
          "RUN --mount=from=tools,target=/t --mount=type=cache,from=0,target=/c"
              + " --mount=type=tmpfs,target=/tmp true"));
      PlannedStage last = p.stage(1).orElseThrow();
      assertEquals(Set.of(0), last.stageDependencies());
      assertEquals(List.of(ref("0")), last.imageSources());
    }

    @Test
    void variablesInFromAreRejected() {
      DockerfileException e = planError(dockerfile("FROM alpine AS a", "ARG S=a",
          "COPY --from=$S /x /x"));
      assertEquals("Dockerfile:3: variable expansion is not supported for --from, define a new"
          + " stage with FROM using ARG from global scope as a workaround", e.getMessage());
      assertEquals("Dockerfile:3: 'from' doesn't support variable expansion, define alias stage"
          + " instead", planError(dockerfile("FROM alpine AS a", "FROM scratch",
          "RUN --mount=from=$S true")).getMessage());
    }

    @Test
    void quotesInFlagsAreRemovedByTheParser() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine AS a", "FROM scratch",
          "COPY --from=\"a\" /x /x"));
      assertEquals(Set.of(0), p.stage(1).orElseThrow().stageDependencies());
    }

    @Test
    void stageIndexesMustExist() {
      assertEquals("Dockerfile:2: invalid stage index 5",
          planError(dockerfile("FROM alpine", "COPY --from=5 / /")).getMessage());
      assertEquals("Dockerfile:2: invalid stage index -1",
          planError(dockerfile("FROM alpine", "COPY --from=-1 / /")).getMessage());
    }

    @Test
    void circularDependencies() {
      // BuildKit's TestDockerfileCircularDependencies
      assertEquals("Dockerfile:2: circular dependency detected on stage: stage0",
          planError(dockerfile("FROM busybox AS stage0", "COPY --from=stage0 f1 /sub/"))
              .getMessage());
      assertEquals("Dockerfile:2: circular dependency detected on stage: stage0",
          planError(dockerfile("FROM busybox AS stage0", "COPY --from=stage2 f1 /sub/",
              "FROM busybox AS stage1", "COPY --from=stage0 f2 /sub/",
              "FROM busybox AS stage2", "COPY --from=stage1 f2 /sub/")).getMessage());
      assertEquals("Dockerfile:2: circular dependency detected on stage: stage-0",
          planError(dockerfile("FROM busybox", "COPY --from=0 f /")).getMessage());
    }

    @Test
    void neededStagesMayOnlyReadEarlierStages() {
      assertEquals("Dockerfile:2: cannot copy from stage \"later\", it needs to be defined"
          + " before current stage \"stage-0\"", planError(dockerfile("FROM alpine",
          "COPY --from=later / /", "FROM busybox AS later", "FROM scratch", "COPY --from=0 / /"))
          .getMessage());
      assertEquals("Dockerfile:2: cannot mount from stage \"later\" to \"/m\", stage needs to be"
          + " defined before current command", planError(dockerfile("FROM alpine AS first",
          "RUN --mount=from=later,target=/m true", "FROM busybox AS later", "FROM scratch",
          "COPY --from=first / /")).getMessage());
    }

    @Test
    void laterStagesAreFineWhenNotNeeded() throws Exception {
      BuildPlan p = new Request(dockerfile("FROM alpine AS a", "COPY --from=b / /",
          "FROM busybox AS b", "FROM scratch AS c")).target("c").plan();
      assertEquals(List.of(0, 1), p.unusedStages());
    }

    @Test
    void scratchAsCopySource() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine", "COPY --from=scratch / /"));
      assertEquals(Set.of(), p.stage(0).orElseThrow().stageDependencies());
      assertEquals(List.of(new ExternalImage(ref("alpine"), AMD64)), p.externalImages());
    }

    @Test
    void copySourceImagesUseTheTargetPlatform() throws Exception {
      BuildPlan p = new Request(dockerfile("FROM --platform=$BUILDPLATFORM alpine",
          "COPY --from=nginx / /")).platforms(AMD64, ARM64).plan();
      assertEquals(List.of(new ExternalImage(ref("alpine"), AMD64),
          new ExternalImage(ref("nginx"), ARM64)), p.externalImages());
    }

    @Test
    void invalidCopySourceImage() {
      DockerfileException e = planError(dockerfile("FROM alpine", "COPY --from=Bad:x / /"));
      assertEquals(2, e.line());
      assertTrue(e.getMessage().contains("invalid reference \"Bad:x\""), e.getMessage());
    }

    @Test
    void onbuildTriggersOfABaseStageAddDependencies() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine AS assets", "FROM busybox AS base",
          "ONBUILD COPY --from=assets / /", "FROM base"));
      assertEquals(Set.of(0, 1), p.stage(2).orElseThrow().stageDependencies());
      assertEquals(List.of(), p.unusedStages());
      assertEquals(List.of(List.of(0, 1), List.of(2)), p.waves());
    }
  }

  @Nested
  class Targets {
    private final String df = dockerfile("FROM alpine AS base", "FROM base AS build",
        "RUN make", "FROM busybox AS test", "COPY --from=build /out /out",
        "FROM scratch AS release", "COPY --from=build /out /");

    @Test
    void defaultIsTheLastStage() throws Exception {
      BuildPlan p = plan(df);
      assertEquals(3, p.target().index());
      assertEquals(List.of(0, 1, 3), p.stages().stream().map(PlannedStage::index).toList());
      assertEquals(List.of(2), p.unusedStages());
      assertEquals(List.of(List.of(0), List.of(1), List.of(3)), p.waves());
      assertEquals(List.of(new ExternalImage(ref("alpine"), AMD64)), p.externalImages());
    }

    @Test
    void targetByNameCaseInsensitive() throws Exception {
      BuildPlan p = new Request(df).target("TEST").plan();
      assertEquals(2, p.target().index());
      assertEquals("test", p.target().displayName());
      assertEquals(List.of(3), p.unusedStages());
      assertEquals("TEST", p.metaArgs().get("TARGETSTAGE"));
    }

    @Test
    void unknownTargetIsAUsageErrorWithASuggestion() {
      UsageException e = assertThrows(UsageException.class,
          () -> new Request(df).target("relase").plan());
      assertEquals("target stage \"relase\" could not be found (did you mean release?)",
          e.getMessage());
      UsageException far = assertThrows(UsageException.class,
          () -> new Request(df).target("zzzzzz").plan());
      assertEquals("target stage \"zzzzzz\" could not be found", far.getMessage());
    }

    @Test
    void independentStagesShareAWave() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine AS a", "FROM alpine AS b", "FROM alpine AS c",
          "COPY --from=a / /a", "FROM scratch", "COPY --from=b / /b", "COPY --from=c / /c"));
      assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3)), p.waves());
      assertEquals(List.of(new ExternalImage(ref("alpine"), AMD64)), p.externalImages());
      assertEquals("stage-3", p.target().displayName());
    }
  }

  @Nested
  class Warnings {
    @Test
    void unconsumedBuildArgs() throws Exception {
      BuildPlan p = plan(dockerfile("ARG USED", "FROM alpine", "ARG ALSO"),
          Map.of("USED", "1", "ALSO", "2", "ZED", "3", "EXTRA", "4", "http_proxy", "p"));
      assertEquals(List.of(new BuildWarning(Optional.empty(), 0,
          "[Warning] One or more build-args [EXTRA ZED] were not consumed")), p.warnings());
    }

    @Test
    void automaticArgsUsedInFromAreConsumed() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine:$TARGETARCH"), Map.of("TARGETARCH", "x"));
      assertEquals(List.of(), p.warnings());
    }

    @Test
    void undeclaredFromArgs() throws Exception {
      BuildPlan p = plan(dockerfile("ARG TAG", "ARG VERSION=1", "FROM alpine:${TAG:-3}",
          "FROM busybox:${VERSON:-1}${UNKNOWN}",
          "FROM --platform=${BUILDPLATFROM:-linux/amd64} scratch"));
      assertEquals(List.of(
          new BuildWarning(Optional.of("UndefinedArgInFrom"), 4,
              "FROM argument 'VERSON' is not declared (did you mean VERSION?)"),
          new BuildWarning(Optional.of("UndefinedArgInFrom"), 4,
              "FROM argument 'UNKNOWN' is not declared"),
          new BuildWarning(Optional.of("UndefinedArgInFrom"), 5,
              "FROM argument 'BUILDPLATFROM' is not declared (did you mean BUILDPLATFORM?)")),
          p.warnings().subList(0, 3));
    }

    @Test
    void parserWarningsAndRepeatedInstructions() throws Exception {
      BuildPlan p = plan(dockerfile("FROM alpine", "RUN a \\", "", "  b", "CMD one",
          "CMD two", "ENTRYPOINT x"));
      assertEquals(2, p.warnings().size());
      assertTrue(p.warnings().get(0).message().startsWith("Empty continuation line"));
      assertEquals(new BuildWarning(Optional.of("MultipleInstructionsDisallowed"), 5,
          "Multiple CMD instructions should not be used in the same stage because only the"
              + " last one will be used"), p.warnings().get(1));
      assertEquals("Dockerfile:5: MultipleInstructionsDisallowed: Multiple CMD instructions"
          + " should not be used in the same stage because only the last one will be used",
          p.warnings().get(1).describe("Dockerfile"));
    }
  }

  @Test
  void parseErrorsNameTheFile() {
    assertEquals("Dockerfile:2: unknown instruction: FORM (did you mean FROM?)",
        planError(dockerfile("FROM alpine", "FORM x")).getMessage());
    assertEquals("Dockerfile: the Dockerfile cannot be empty", planError("").getMessage());
    assertEquals("Dockerfile:1: no build stage in current context",
        planError(dockerfile("RUN x")).getMessage());
  }

  @Test
  void planKeepsTheRequestAndTheFile() throws Exception {
    BuildPlan p = plan(dockerfile("# escape=`", "FROM alpine"));
    assertEquals('`', p.escapeToken());
    assertEquals("Dockerfile", p.sourceName());
    assertEquals(1, p.dockerfile().stages().size());
    assertInstanceOf(StageBase.Image.class, p.target().base());
    assertTrue(p.isTarget(0));
  }
}
