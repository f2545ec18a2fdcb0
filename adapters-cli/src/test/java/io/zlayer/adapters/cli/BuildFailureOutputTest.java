package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.zlayer.application.service.ResolveBuildSourceService;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.domain.error.BuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing RUN shows its last output lines once: in the progress view, or before the error. */
class BuildFailureOutputTest {
  private final CliHarness h = new CliHarness();
  private final BuildImage build = mock(BuildImage.class);

  @TempDir
  Path dir;

  @BeforeEach
  void failingBuild() throws Exception {
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nRUN x\n");
    when(h.useCases.buildImage()).thenReturn(build);
    when(h.useCases.resolveBuildSource()).thenReturn(new ResolveBuildSourceService());
    when(build.build(any())).thenThrow(new BuildException(
        "Dockerfile:2: RUN x: exit code 3", 3, List.of("first", "boom"), null, null));
  }

  @Test
  void quietBuildsPrintTheLastOutputBeforeTheError() {
    CliHarness.Result r = h.run("build", "--progress", "quiet", dir.toString());
    assertEquals(1, r.code());
    assertEquals("  first\n  boom\nerror: Dockerfile:2: RUN x: exit code 3\n", r.err());
  }

  @Test
  void aProgressViewAlreadyShowedTheOutput() {
    CliHarness.Result r = h.run("build", "--progress", "plain", dir.toString());
    assertEquals(1, r.code());
    assertFalse(r.err().contains("  boom"), r.err());
    assertEquals("error: Dockerfile:2: RUN x: exit code 3", r.err().strip().lines()
        .reduce((a, b) -> b).orElseThrow());
  }
}
