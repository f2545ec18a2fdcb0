package io.zlayer.adapters.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.domain.image.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressModeTest {
  private static final Terminal TTY = Terminal.fixed(true, true, 80, 24);
  private static final Terminal PIPE = Terminal.fixed(false, false, 80, 24);

  @Test
  void autoPicksTtyOnlyOnAnInteractiveTerminal() {
    assertEquals(ProgressMode.TTY, ProgressMode.AUTO.resolve(TTY, Map.of()));
    assertEquals(ProgressMode.TTY, ProgressMode.AUTO.resolve(TTY, Map.of("CI", "false")));
    assertEquals(ProgressMode.PLAIN, ProgressMode.AUTO.resolve(PIPE, Map.of()));
    assertEquals(ProgressMode.PLAIN, ProgressMode.AUTO.resolve(TTY, Map.of("CI", "true")));
    assertEquals(ProgressMode.PLAIN, ProgressMode.AUTO.resolve(TTY, Map.of("TERM", "dumb")));
    assertEquals(ProgressMode.PLAIN,
        ProgressMode.AUTO.resolve(Terminal.fixed(true, false, 80, 24), Map.of()));
  }

  @Test
  void explicitModesStay() {
    for (ProgressMode m : List.of(ProgressMode.TTY, ProgressMode.PLAIN, ProgressMode.RAWJSON,
        ProgressMode.QUIET)) {
      assertEquals(m, m.resolve(PIPE, Map.of("CI", "true")));
    }
  }

  @Test
  void openGivesTheRendererForTheMode() {
    StringWriter w = new StringWriter();
    ManualClock clock = new ManualClock();
    assertTrue(ProgressRenderer.open(ProgressMode.AUTO, "x", new PrintWriter(w), PIPE, Map.of(),
        clock) instanceof PlainProgress);
    assertTrue(ProgressRenderer.open(ProgressMode.RAWJSON, "x", new PrintWriter(w), TTY, Map.of(),
        clock) instanceof RawJsonProgress);
    assertSame(QuietProgress.INSTANCE, ProgressRenderer.open(ProgressMode.QUIET, "x",
        new PrintWriter(w), TTY, Map.of(), clock));
    ProgressRenderer tty = ProgressRenderer.open(ProgressMode.AUTO, "x", new PrintWriter(w), TTY,
        Map.of(), clock);
    assertTrue(tty instanceof TtyProgress);
    tty.close();
  }

  @Test
  void quietPrintsNothing() {
    StringWriter w = new StringWriter();
    ManualClock clock = new ManualClock();
    ProgressRenderer quiet = ProgressRenderer.open(ProgressMode.QUIET, "Building",
        new PrintWriter(w), TTY, Map.of(), clock);
    ScriptedBuild.firstHalf(quiet, clock);
    ScriptedBuild.secondHalf(quiet, clock);
    quiet.accept(new BuildEvent.Message(BuildEvent.Level.WARNING, "w"));
    quiet.summary(new BuildSummary(Digest.sha256(new byte[0]), Optional.empty(), List.of(), 0,
        Duration.ZERO, 0, 0));
    quiet.close();
    assertEquals("", w.toString());
  }
}
