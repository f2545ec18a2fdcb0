package io.zlayer.adapters.buildah;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.HealthConfig;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConfigFlagsTest {
  private static final ContainerConfig BASE = ContainerConfig.EMPTY.toBuilder()
      .env(List.of("PATH=/bin", "KEEP=1", "GONE=x"))
      .labels(new TreeMap<>(java.util.Map.of("a", "1", "old", "2")))
      .exposedPorts(new TreeSet<>(List.of("80/tcp", "53/udp")))
      .volumes(new TreeSet<>(List.of("/v1")))
      .workingDir(Optional.of("/"))
      .cmd(Optional.of(List.of("sh")))
      .build();

  @Test
  void nothingChangedGivesNoFlags() {
    assertEquals(List.of(), ConfigFlags.between(BASE, Optional.empty(), BASE, Optional.empty()));
  }

  @Test
  void everyFieldBuildahStoresFaithfully() {
    ContainerConfig to = BASE.toBuilder()
        .env(List.of("PATH=/usr/bin:/bin", "KEEP=1", "NEW=$HOME and ${X}"))
        .labels(new TreeMap<>(java.util.Map.of("a", "changed", "b", "with space")))
        .exposedPorts(new TreeSet<>(List.of("80/tcp", "8080/tcp")))
        .volumes(new TreeSet<>(List.of("/v2")))
        .workingDir(Optional.of("/app"))
        .user(Optional.of("app:app"))
        .entrypoint(Optional.of(List.of("/bin/echo", "a \"b\"")))
        .cmd(Optional.empty())
        .stopSignal(Optional.of("SIGINT"))
        .build();
    assertEquals(List.of(
        "--env", "PATH=/usr/bin:/bin",
        "--env", "NEW=$$HOME and $${X}",
        "--env", "GONE-",
        "--label", "a=changed",
        "--label", "b=with space",
        "--label", "old-",
        "--port", "8080/tcp",
        "--port", "53/udp-",
        "--volume", "/v2",
        "--volume", "/v1-",
        "--workingdir", "/app",
        "--user", "app:app",
        "--entrypoint", "[\"/bin/echo\",\"a \\\"b\\\"\"]",
        "--cmd", "",
        "--stop-signal", "SIGINT",
        "--author", "me"),
        ConfigFlags.between(BASE, Optional.empty(), to, Optional.of("me")));
  }

  @Test
  void fieldsBuildahMangledAreLeftToTheWrittenConfig() {
    ContainerConfig to = BASE.toBuilder()
        .shell(Optional.of(List.of("/bin/bash", "-o", "pipefail", "-c")))
        .healthcheck(Optional.of(new HealthConfig(List.of("CMD-SHELL", "a && b"), 1, 0, 0, 0,
            0)))
        .onBuild(List.of("RUN x"))
        .argsEscaped(true)
        .build();
    assertEquals(List.of(), ConfigFlags.between(BASE, Optional.empty(), to, Optional.empty()));
  }
}
