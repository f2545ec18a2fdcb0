package io.zlayer.adapters.buildah;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunFailureTextTest {
  @Test
  void buildahsReportLinesAreNotTheCommandsOutput() {
    assertTrue(RunFailureText.isBuildahReport("subprocess exited with status 3"));
    assertTrue(RunFailureText.isBuildahReport("subprocess exited on terminated"));
    assertTrue(RunFailureText.isBuildahReport("Error: exit status 3"));
    assertFalse(RunFailureText.isBuildahReport("boom"));
    assertFalse(RunFailureText.isBuildahReport("Error: boom"));
    assertFalse(RunFailureText.isBuildahReport("my subprocess exited with status 3 today"));
  }

  @Test
  void theCommandsExitIsAnExitCodeAndBuildahsOwnErrorsStayAsTheySay() {
    assertEquals("exit code 3", RunFailureText.reason(new CommandFailure("run", 3,
        List.of("boom", "subprocess exited with status 3", "Error: exit status 3"))));
    assertEquals("mounting /x: permission denied", RunFailureText.reason(new CommandFailure(
        "run", 125, List.of("Error: mounting /x: permission denied"))));
  }
}
