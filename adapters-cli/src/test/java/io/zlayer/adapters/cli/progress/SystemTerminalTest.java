package io.zlayer.adapters.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemTerminalTest {
  @TempDir
  Path fds;

  private final ManualClock clock = new ManualClock();

  private SystemTerminal terminal(Map<String, String> env, Optional<Terminal.Size> probed,
      AtomicInteger probes) {
    return new SystemTerminal(fds, env, () -> {
      probes.incrementAndGet();
      return probed;
    }, clock);
  }

  @Test
  void terminalsAreRecognisedByWhereTheDescriptorPoints() throws Exception {
    Files.createSymbolicLink(fds.resolve("1"), Path.of("pipe:[4711]"));
    Files.createSymbolicLink(fds.resolve("2"), Path.of("/dev/pts/3"));
    SystemTerminal t = terminal(Map.of(), Optional.empty(), new AtomicInteger());
    assertFalse(t.stdoutIsTerminal());
    assertTrue(t.stderrIsTerminal());
  }

  @Test
  void missingDescriptorsAreNotTerminals() {
    SystemTerminal t = terminal(Map.of(), Optional.empty(), new AtomicInteger());
    assertFalse(t.stdoutIsTerminal());
    assertFalse(t.stderrIsTerminal());
  }

  @Test
  void terminalDevices() {
    assertTrue(SystemTerminal.isTerminalDevice("/dev/pts/0"));
    assertTrue(SystemTerminal.isTerminalDevice("/dev/tty1"));
    assertTrue(SystemTerminal.isTerminalDevice("/dev/ttyS0"));
    assertTrue(SystemTerminal.isTerminalDevice("/dev/console"));
    assertFalse(SystemTerminal.isTerminalDevice("/dev/pts/"));
    assertFalse(SystemTerminal.isTerminalDevice("/dev/null"));
    assertFalse(SystemTerminal.isTerminalDevice("/tmp/build.log"));
    assertFalse(SystemTerminal.isTerminalDevice("socket:[123]"));
  }

  @Test
  void sizeFromTheEnvironmentFirstThenTheTerminal() {
    AtomicInteger probes = new AtomicInteger();
    SystemTerminal t = terminal(Map.of("COLUMNS", "132", "LINES", "50"),
        Optional.of(new Terminal.Size(80, 24)), probes);
    assertEquals(new Terminal.Size(132, 50), t.size());
    assertEquals(0, probes.get());
    SystemTerminal onlyColumns = terminal(Map.of("COLUMNS", "100"),
        Optional.of(new Terminal.Size(80, 30)), probes);
    assertEquals(new Terminal.Size(100, 30), onlyColumns.size());
    SystemTerminal none = terminal(Map.of("COLUMNS", "x"), Optional.empty(), probes);
    assertEquals(new Terminal.Size(80, 24), none.size());
  }

  @Test
  void sizeIsReadAgainAfterASecondSoAResizeIsNoticed() {
    AtomicInteger probes = new AtomicInteger();
    Terminal.Size[] current = {new Terminal.Size(120, 40)};
    SystemTerminal t = new SystemTerminal(fds, new HashMap<>(), () -> {
      probes.incrementAndGet();
      return Optional.of(current[0]);
    }, clock);
    assertEquals(120, t.size().columns());
    current[0] = new Terminal.Size(60, 40);
    clock.advanceMillis(500);
    assertEquals(120, t.size().columns());
    clock.advanceMillis(500);
    assertEquals(60, t.size().columns());
    assertEquals(2, probes.get());
  }

  @Test
  void sttyOutputIsRowsThenColumns() {
    assertEquals(Optional.of(new Terminal.Size(120, 40)), SystemTerminal.parseSttySize("40 120\n"));
    assertEquals(Optional.empty(), SystemTerminal.parseSttySize("0 0\n"));
    assertEquals(Optional.empty(), SystemTerminal.parseSttySize("stty: invalid"));
    assertEquals(Optional.empty(), SystemTerminal.parseSttySize(""));
  }
}
