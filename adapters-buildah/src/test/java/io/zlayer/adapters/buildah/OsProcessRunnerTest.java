package io.zlayer.adapters.buildah;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsProcessRunnerTest {
  @TempDir Path tmp;

  @Test
  void streamsLinesKeepsStdoutAndTheStderrTail() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    ProcessRunner.Result r = new OsProcessRunner().run(new ProcessRunner.Invocation(
        List.of("/bin/sh", "-c", "echo out1; echo err1 >&2; echo $ZL_X; pwd;"
            + " i=0; while [ $i -lt 30 ]; do echo e$i >&2; i=$((i+1)); done; exit 3"),
        Map.of("ZL_X", "set"), Optional.of(tmp), true),
        (line, stderr) -> seen.add((stderr ? "E " : "O ") + line));
    assertEquals(3, r.exitCode());
    assertEquals("out1\nset\n" + tmp.toRealPath() + "\n", r.stdout());
    assertEquals(20, r.stderrTail().size());
    assertEquals("e29", r.stderrTail().get(19));
    assertTrue(seen.contains("O out1") && seen.contains("E err1"), seen.toString());
  }

  @Test
  void interruptionKillsTheProcessTree() throws Exception {
    Path pidFile = tmp.resolve("child.pid");
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        new OsProcessRunner().run(new ProcessRunner.Invocation(List.of("/bin/sh", "-c",
            "sleep 300 & echo $! > " + pidFile + "; echo ready; wait"), Map.of(),
            Optional.empty(), false), (line, stderr) -> started.countDown());
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    assertTrue(started.await(30, TimeUnit.SECONDS));
    long child = Long.parseLong(Files.readString(pidFile).strip());
    t.interrupt();
    t.join(30_000);
    assertInstanceOf(InterruptedException.class, thrown.get());
    Optional<ProcessHandle> handle = ProcessHandle.of(child);
    assertFalse(handle.isPresent() && handle.get().isAlive(), "the sleep was killed");
  }
}
