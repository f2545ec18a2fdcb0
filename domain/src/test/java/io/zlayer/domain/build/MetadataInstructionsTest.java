package io.zlayer.domain.build;

import static io.zlayer.domain.build.Builds.createdBy;
import static io.zlayer.domain.build.Builds.dockerfile;
import static io.zlayer.domain.build.Builds.evaluate;
import static io.zlayer.domain.build.Builds.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.build.Builds.Evaluation;
import io.zlayer.domain.build.Builds.Request;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.HealthConfig;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The effect of each metadata instruction on the image config. */
class MetadataInstructionsTest {
  private static final String PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static ContainerConfig config(String... lines) throws Exception {
    return evaluate(dockerfile(lines)).config();
  }

  private static DockerfileException error(String... lines) {
    return assertThrows(DockerfileException.class, () -> evaluate(dockerfile(lines)));
  }

  @Test
  void scratchStartsWithPathAndRoot() throws Exception {
    ContainerConfig c = config("FROM scratch");
    assertEquals(List.of(PATH), c.env());
    assertEquals(Optional.of("/"), c.workingDir());
  }

  @Test
  void imageBaseGetsAPathWhenItHasNone() throws Exception {
    Evaluation e = evaluate(Builds.plan(dockerfile("FROM base")),
        Map.of("base:latest", image("A=1")));
    assertEquals(List.of("A=1", PATH), e.config().env());
    Evaluation kept = evaluate(Builds.plan(dockerfile("FROM base")),
        Map.of("base:latest", image("PATH=/opt/bin")));
    assertEquals(List.of("PATH=/opt/bin"), kept.config().env());
  }

  @Test
  void envReplacesInPlaceAndExpandsWithTheOldValues() throws Exception {
    Evaluation e = evaluate(Builds.plan(dockerfile("FROM base", "ENV B=2 A=${A}x C=$B",
        "ENV A=again")), Map.of("base:latest", image("A=1", "PATH=/bin", "B=0")));
    assertEquals(List.of("A=again", "PATH=/bin", "B=2", "C=0"), e.config().env());
    assertEquals("ENV B=2 A=1x C=0", createdBy(e.target().get(0)));
  }

  @Test
  void labelsMerge() throws Exception {
    Evaluation e = evaluate(Builds.plan(dockerfile("FROM base", "ARG V=1.2",
        "LABEL version=$V \"com.example.name\"=\"my app\"", "LABEL keep=new")),
        Map.of("base:latest", image(ContainerConfig.EMPTY.toBuilder()
            .labels(new TreeMap<>(Map.of("keep", "old", "base", "yes"))).build())));
    assertEquals(Map.of("version", "1.2", "com.example.name", "my app", "keep", "new", "base",
        "yes"), e.config().labels());
    assertEquals("LABEL version=1.2 com.example.name=my app", createdBy(e.target().get(1)));
  }

  @Nested
  class Expose {
    @Test
    void formsAreNormalised() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch", "ARG PORTS=\"9000 9001/udp\"",
          "EXPOSE 80 443/TCP 53/udp 7000-7002/sctp $PORTS", "EXPOSE 80/tcp"));
      assertEquals(Set.of("80/tcp", "443/tcp", "53/udp", "7000/sctp", "7001/sctp", "7002/sctp",
          "9000/tcp", "9001/udp"), e.config().exposedPorts());
      // The parser sorts the words as written; "$PORTS" sorts first.
      assertEquals("EXPOSE [9000/tcp 9001/udp 443/tcp 53/udp 7000/sctp 7001/sctp 7002/sctp"
          + " 80/tcp]", createdBy(e.target().get(1)));
    }

    @Test
    void hostPartsAreAcceptedAndDropped() throws Exception {
      assertEquals(Set.of("3333/tcp", "3334/tcp", "80/tcp"), config("FROM scratch",
          "EXPOSE 0.0.0.0:1234-1235:3333-3334/tcp [::1]:80:80").exposedPorts());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "80/xyz | invalid proto: xyz",
        "/tcp | no port specified: /tcp<empty>",
        "http | invalid containerPort: http",
        "65536 | invalid containerPort: 65536",
        "9-1 | invalid containerPort: 9-1",
        "localhost:80:80 | invalid IP address: localhost",
        "1-2:3-5 | invalid ranges specified for container and host Ports: 3-5 and 1-2"})
    void invalidPorts(String port, String message) {
      assertEquals("Dockerfile:2: " + message, error("FROM scratch", "EXPOSE " + port)
          .getMessage());
    }
  }

  @Test
  void volumesAndUser() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "ENV D=/data", "VOLUME $D /logs",
        "VOLUME [\"/json\"]", "USER app:app", "USER ${NOBODY}"));
    assertEquals(Set.of("/data", "/logs", "/json"), e.config().volumes());
    assertEquals(Optional.empty(), e.config().user());
    assertEquals("VOLUME [/data /logs]", createdBy(e.target().get(1)));
    assertEquals("USER app:app", createdBy(e.target().get(3)));
    assertEquals("Dockerfile:3: VOLUME specified can not be an empty string",
        error("FROM scratch", "ARG E", "VOLUME $E").getMessage());
  }

  @Nested
  class Workdir {
    @Test
    void relativePathsJoinThePreviousOne() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch", "WORKDIR /b", "WORKDIR a",
          "WORKDIR ../c/./d/", "WORKDIR /abs//kept/../", "WORKDIR x"));
      List<String> dirs = e.target().stream().map(s -> createdBy(s)).toList();
      assertEquals(List.of("WORKDIR /b", "WORKDIR /b/a", "WORKDIR /b/c/d",
          "WORKDIR /abs//kept/../", "WORKDIR /abs/x"), dirs);
      assertEquals(Optional.of("/abs/x"), e.config().workingDir());
    }

    @Test
    void creatingADirectoryMakesALayerOwnedByTheUser() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch", "USER 1000", "WORKDIR /app",
          "WORKDIR /"));
      EvaluatedStep mkdir = e.target().get(1);
      assertEquals(new StepAction.CreateDirectory("/app", Optional.of("1000")), mkdir.action());
      assertFalse(mkdir.history().orElseThrow().emptyLayer());
      EvaluatedStep root = e.target().get(2);
      assertInstanceOf(StepAction.ConfigChange.class, root.action());
      assertTrue(root.history().orElseThrow().emptyLayer());
    }

    @Test
    void baseWorkdirIsNormalised() throws Exception {
      Evaluation e = evaluate(Builds.plan(dockerfile("FROM base", "WORKDIR sub")),
          Map.of("base:latest", image(ContainerConfig.EMPTY.toBuilder()
              .workingDir(Optional.of("/srv/")).build())));
      assertEquals(Optional.of("/srv/sub"), e.config().workingDir());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"SIGTERM", "TERM", "sigkill", "9", "-1", "RTMIN+3", "SIGRTMAX-14"})
  void validStopSignals(String signal) throws Exception {
    assertEquals(Optional.of(signal), config("FROM scratch", "STOPSIGNAL " + signal)
        .stopSignal());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "SIGFOO", "RTMIN+16", "9999999999999999999999", "SIG"})
  void invalidStopSignals(String signal) {
    assertEquals("Dockerfile:2: invalid signal: " + signal,
        error("FROM scratch", "STOPSIGNAL " + signal).getMessage());
  }

  @Test
  void stopSignalIsExpanded() throws Exception {
    assertEquals(Optional.of("SIGQUIT"),
        config("FROM scratch", "ARG S=SIGQUIT", "STOPSIGNAL $S").stopSignal());
  }

  @Nested
  class Healthcheck {
    @Test
    void replacesTheWholeCheck() throws Exception {
      Evaluation e = evaluate(Builds.plan(dockerfile("FROM base",
          "HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/ || exit 1")),
          Map.of("base:latest", image(ContainerConfig.EMPTY.toBuilder().healthcheck(
              Optional.of(new HealthConfig(List.of("CMD", "old"), 1, 2, 3, 4, 5))).build())));
      assertEquals(Optional.of(new HealthConfig(
          List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"), 30_000_000_000L, 0, 0,
          0, 3)), e.config().healthcheck());
      assertEquals("HEALTHCHECK {Test:[CMD-SHELL curl -f http://localhost/ || exit 1]"
          + " Interval:30s Timeout:0s StartPeriod:0s StartInterval:0s Retries:3}",
          createdBy(e.last()));
    }

    @Test
    void noneDisables() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch", "HEALTHCHECK NONE"));
      assertEquals(Optional.of(new HealthConfig(List.of("NONE"), 0, 0, 0, 0, 0)),
          e.config().healthcheck());
      assertEquals("HEALTHCHECK {Test:[NONE] Interval:0s Timeout:0s StartPeriod:0s"
          + " StartInterval:0s Retries:0}", createdBy(e.last()));
    }

    @Test
    void execFormAndDurations() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch", "HEALTHCHECK --timeout=1m30s"
          + " --start-period=1.5ms --start-interval=2h CMD [\"/bin/check\", \"-q\"]"));
      assertEquals("HEALTHCHECK {Test:[CMD /bin/check -q] Interval:0s Timeout:1m30s"
          + " StartPeriod:1.5ms StartInterval:2h0m0s Retries:0}", createdBy(e.last()));
    }
  }

  @Nested
  class CmdAndEntrypoint {
    @Test
    void shellFormUsesTheCurrentShell() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch", "CMD echo $HOME",
          "SHELL [\"/bin/bash\", \"-eu\", \"-c\"]", "ENTRYPOINT exec app"));
      assertEquals(Optional.of(List.of("/bin/sh", "-c", "echo $HOME")), e.config().cmd());
      assertEquals(Optional.of(List.of("/bin/bash", "-eu", "-c", "exec app")),
          e.config().entrypoint());
      assertEquals(Optional.of(List.of("/bin/bash", "-eu", "-c")), e.config().shell());
      assertTrue(e.config().argsEscaped());
      assertEquals("CMD [\"/bin/sh\" \"-c\" \"echo $HOME\"]", createdBy(e.target().get(0)));
      assertEquals("SHELL [/bin/bash -eu -c]", createdBy(e.target().get(1)));
      assertEquals("ENTRYPOINT [\"/bin/bash\" \"-eu\" \"-c\" \"exec app\"]",
          createdBy(e.target().get(2)));
    }

    @Test
    void entrypointDropsAnInheritedCmd() throws Exception {
      ImageConfig base = image(ContainerConfig.EMPTY.toBuilder()
          .cmd(Optional.of(List.of("bash"))).entrypoint(Optional.of(List.of("/init"))).build());
      Evaluation e = evaluate(Builds.plan(dockerfile("FROM base",
          "ENTRYPOINT [\"/app\"]")), Map.of("base:latest", base));
      assertEquals(Optional.empty(), e.config().cmd());
      assertEquals(Optional.of(List.of("/app")), e.config().entrypoint());
    }

    @Test
    void entrypointKeepsACmdOfThisStage() throws Exception {
      ImageConfig base = image(ContainerConfig.EMPTY.toBuilder()
          .cmd(Optional.of(List.of("bash"))).build());
      Evaluation e = evaluate(Builds.plan(dockerfile("FROM base", "CMD [\"--help\"]",
          "ENTRYPOINT [\"/app\"]")), Map.of("base:latest", base));
      assertEquals(Optional.of(List.of("--help")), e.config().cmd());
    }

    @Test
    void aCmdOfTheBaseStageCountsAsInherited() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch AS base", "CMD [\"x\"]", "FROM base",
          "ENTRYPOINT [\"/app\"]"));
      assertEquals(Optional.empty(), e.config().cmd());
    }

    @Test
    void emptyEntrypointUnsetsItAndEmptyCmdIsEmpty() throws Exception {
      ImageConfig base = image(ContainerConfig.EMPTY.toBuilder()
          .entrypoint(Optional.of(List.of("/init"))).build());
      Evaluation e = evaluate(Builds.plan(dockerfile("FROM base", "ENTRYPOINT []", "CMD []")),
          Map.of("base:latest", base));
      assertEquals(Optional.empty(), e.config().entrypoint());
      assertEquals(Optional.of(List.of()), e.config().cmd());
      assertEquals("ENTRYPOINT []", createdBy(e.target().get(0)));
    }

    @Test
    void commandsAreNotExpanded() throws Exception {
      assertEquals(Optional.of(List.of("echo", "$A")), config("FROM scratch", "ARG A=1",
          "CMD [\"echo\", \"$A\"]").cmd());
    }

    @Test
    void windowsImagesDefaultToCmd() throws Exception {
      Evaluation e = evaluate(new Request(dockerfile("FROM scratch", "CMD dir"))
          .platforms(Platform.of("windows", "amd64"), Platform.of("windows", "amd64")).plan(),
          Map.of());
      assertEquals(Optional.of(List.of("cmd", "/S", "/C", "dir")), e.config().cmd());
      assertEquals(List.of("PATH=c:\\Windows\\System32;c:\\Windows"), e.config().env());
    }
  }

  @Test
  void maintainerSetsTheAuthor() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "MAINTAINER Jane <j@example.com>"));
    assertEquals(Optional.of("Jane <j@example.com>"), e.targetEvaluator().image().author());
    assertEquals("MAINTAINER Jane <j@example.com>", createdBy(e.last()));
  }

  @Test
  void onbuildStoresTheTriggerWithoutHistory() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "onbuild   run make",
        "ONBUILD COPY . /src"));
    assertEquals(List.of("run make", "COPY . /src"), e.config().onBuild());
    assertTrue(e.last().history().isEmpty());
    assertEquals(List.of(), e.targetEvaluator().image().history());
  }

  @Test
  void targetImageTakesTheTargetPlatform() throws Exception {
    Platform armV8 = Platform.of("linux", "arm64", "v8");
    Evaluation e = evaluate(new Request(dockerfile("FROM --platform=linux/amd64 base AS b",
        "FROM b")).platforms(Builds.AMD64, armV8).plan(), Map.of());
    ImageConfig target = e.targetEvaluator().image();
    assertEquals("arm64", target.architecture());
    assertEquals(Optional.empty(), target.variant());
    ImageConfig intermediate = e.evaluators().get(0).image();
    assertEquals("amd64", intermediate.architecture());
  }

  @Test
  void historyOfTheBaseIsKeptAndNewEntriesAreAppended() throws Exception {
    ImageConfig base = new ImageConfig(Optional.empty(), Optional.of("them"), "amd64", "linux",
        Optional.empty(), Optional.empty(), ContainerConfig.EMPTY, List.of(),
        List.of(io.zlayer.domain.image.HistoryEntry.of(null, "base step", true)));
    Evaluation e = evaluate(Builds.plan(dockerfile("FROM base", "ENV A=1", "RUN true")),
        Map.of("base:latest", base));
    ImageConfig image = e.targetEvaluator().image();
    assertEquals(List.of("base step", "ENV A=1", "RUN /bin/sh -c true # buildkit"),
        image.history().stream().map(h -> h.createdBy().orElseThrow()).toList());
    assertEquals(Optional.of("them"), image.author());
    assertEquals(Optional.of(StageEvaluator.HISTORY_COMMENT),
        image.history().get(1).comment());
    assertTrue(image.history().get(1).emptyLayer());
    assertFalse(image.history().get(2).emptyLayer());
  }
}
