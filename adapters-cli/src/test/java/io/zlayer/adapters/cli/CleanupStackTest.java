package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupStackTest {
  private final CleanupStack stack = new CleanupStack();
  private final List<String> ran = new ArrayList<>();

  @Test
  void remainingCleanupsRunNewestFirst() {
    stack.push("a", () -> ran.add("a"));
    stack.push("b", () -> ran.add("b"));
    stack.push("c", () -> ran.add("c"));
    assertEquals(List.of(), stack.runAll());
    assertEquals(List.of("c", "b", "a"), ran);
    assertEquals(0, stack.size());
  }

  @Test
  void aClosedEntryRanOnceAndIsGone() throws Exception {
    CleanupStack.Entry sandbox = stack.push("remove sandbox", () -> ran.add("sandbox"));
    stack.push("temp dir", () -> ran.add("temp"));
    sandbox.close();
    sandbox.close();
    assertEquals(1, stack.size());
    stack.runAll();
    assertEquals(List.of("sandbox", "temp"), ran);
  }

  @Test
  void failuresAreReportedAndTheRestStillRuns() {
    stack.push("a", () -> ran.add("a"));
    stack.push("delete /tmp/x", () -> {
      throw new java.io.IOException("permission denied");
    });
    assertEquals(List.of("delete /tmp/x: permission denied"), stack.runAll());
    assertEquals(List.of("a"), ran);
  }

  @Test
  void cleanupsMayWaitOnAnInterruptedThreadWhoseStatusIsKept() {
    stack.push("wait for the sandbox to exit", () -> {
      Thread.sleep(1);
      ran.add("waited");
    });
    Thread.currentThread().interrupt();
    assertEquals(List.of(), stack.runAll());
    assertTrue(Thread.interrupted());
    assertEquals(List.of("waited"), ran);
  }

  @Test
  void closingRethrowsAFailure() {
    CleanupStack.Entry e = stack.push("x", () -> {
      throw new IllegalStateException("no");
    });
    assertThrows(IllegalStateException.class, e::close);
  }
}
