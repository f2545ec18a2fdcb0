package io.zlayer.adapters.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.StepRef;
import io.zlayer.domain.image.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TtyProgressTest {
  private static final String E = "\u001b[";
  private static final String L = E + "2K";

  private final ManualClock clock = new ManualClock();
  private final StringWriter text = new StringWriter();

  private TtyProgress tty(int columns, int rows, boolean colour) {
    return new TtyProgress("Building", new PrintWriter(text), Terminal.fixed(true, true, columns,
        rows), clock, colour);
  }

  private String take() {
    String s = text.toString();
    text.getBuffer().setLength(0);
    return s;
  }

  /** A row as the renderer lays it out: the time at the right edge of {@code usable} cells. */
  private static String row(String left, String time, int usable) {
    return left + " ".repeat(usable - TerminalText.width(left) - time.length()) + time;
  }

  @Test
  void framesAtWidth40() {
    TtyProgress p = tty(40, 24, false);
    ScriptedBuild.firstHalf(p, clock);
    p.drawFrame();
    assertEquals(E + "?25l"
        + L + "[+] Building 1.5s (0/2)\n"
        + L + " => [base 1/2] FROM docker.io/lib\u2026 1.5s\n"
        + L + " => CACHED exists 9c8d7e6f5a4b     0.0s\n"
        + L + " => pulling 3f2a1b2\u2026 28.0MB/45.0MB 1.5s\n"
        + L + " => [base 2/2] waiting\n", take());

    ScriptedBuild.secondHalf(p, clock);
    p.drawFrame();
    assertEquals(E + "5A"
        + L + "WARNING: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 3)\n"
        + L + "[+] Building 2.5s (3/5)\n"
        + L + " => [base 1/2] FROM docker.io/lib\u2026 1.6s\n"
        + L + " => CACHED exists 9c8d7e6f5a4b     0.0s\n"
        + L + " => pulling 3f2a1b2c3d4e 45.0MB    1.6s\n"
        + L + " => CACHED [base 2/2] RUN apk add\u2026 0.0s\n"
        + L + " => ERROR [build 1/3] RUN make     0.9s\n"
        + L + " => => # cc -o app main.c\n"
        + L + " => => # main.c:3: error: expected ';'\n"
        + L + " => => # process \"/bin/sh -c make\" did \n"
        + L + " => [build 2-3/3] waiting\n", take());

    clock.advanceMillis(100);
    p.close();
    assertEquals(E + "10A"
        + L + "[+] Building 2.6s (3/5) FAILED\n"
        + L + " => [base 1/2] FROM docker.io/lib\u2026 1.6s\n"
        + L + " => CACHED exists 9c8d7e6f5a4b     0.0s\n"
        + L + " => pulling 3f2a1b2c3d4e 45.0MB    1.6s\n"
        + L + " => CACHED [base 2/2] RUN apk add\u2026 0.0s\n"
        + L + " => ERROR [build 1/3] RUN make     0.9s\n"
        + L + " => => # cc -o app main.c\n"
        + L + " => => # main.c:3: error: expected ';'\n"
        + L + " => => # process \"/bin/sh -c make\" did \n"
        + E + "J" + E + "?25h", take());
  }

  @Test
  void framesAtWidth120() {
    int u = 119;
    TtyProgress p = tty(120, 24, false);
    ScriptedBuild.firstHalf(p, clock);
    p.drawFrame();
    assertEquals(E + "?25l"
        + L + "[+] Building 1.5s (0/2)\n"
        + L + row(" => [base 1/2] FROM docker.io/library/alpine:3.20", "1.5s", u) + "\n"
        + L + row(" => CACHED exists 9c8d7e6f5a4b", "0.0s", u) + "\n"
        + L + row(" => pulling 3f2a1b2c3d4e 28.0MB/45.0MB 18.7MB/s", "1.5s", u) + "\n"
        + L + " => [base 2/2] waiting\n", take());

    ScriptedBuild.secondHalf(p, clock);
    p.drawFrame();
    String second = take();
    assertEquals(E + "5A"
        + L + "WARNING: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 3)\n"
        + L + "[+] Building 2.5s (3/5)\n"
        + L + row(" => [base 1/2] FROM docker.io/library/alpine:3.20", "1.6s", u) + "\n"
        + L + row(" => CACHED exists 9c8d7e6f5a4b", "0.0s", u) + "\n"
        + L + row(" => pulling 3f2a1b2c3d4e 45.0MB", "1.6s", u) + "\n"
        + L + row(" => CACHED [base 2/2] RUN apk add --no-cache make", "0.0s", u) + "\n"
        + L + row(" => ERROR [build 1/3] RUN make", "0.9s", u) + "\n"
        + L + " => => # cc -o app main.c\n"
        + L + " => => # main.c:3: error: expected ';'\n"
        + L + " => => # process \"/bin/sh -c make\" did not complete successfully: exit code: 2\n"
        + L + " => [build 2-3/3] waiting\n", second);
  }

  @Test
  void coloursMarkStates() {
    TtyProgress p = tty(40, 24, true);
    ScriptedBuild.firstHalf(p, clock);
    ScriptedBuild.secondHalf(p, clock);
    p.drawFrame();
    assertEquals(E + "?25l"
        + L + E + "33mWARNING: FromAsCasing: 'as' and 'FROM' keywords' casing do not match"
        + " (line 3)" + E + "0m\n"
        + L + "[+] Building 2.5s (3/5)\n"
        + L + E + "34m => [base 1/2] FROM docker.io/lib\u2026 1.6s" + E + "0m\n"
        + L + E + "34m => CACHED exists 9c8d7e6f5a4b     0.0s" + E + "0m\n"
        + L + E + "34m => pulling 3f2a1b2c3d4e 45.0MB    1.6s" + E + "0m\n"
        + L + E + "34m => CACHED [base 2/2] RUN apk add\u2026 0.0s" + E + "0m\n"
        + L + E + "31m => ERROR [build 1/3] RUN make     0.9s" + E + "0m\n"
        + L + E + "31m => => # cc -o app main.c" + E + "0m\n"
        + L + E + "31m => => # main.c:3: error: expected ';'" + E + "0m\n"
        + L + E + "31m => => # process \"/bin/sh -c make\" did " + E + "0m\n"
        + L + E + "2m => [build 2-3/3] waiting" + E + "0m\n", take());
  }

  @Test
  void rowsStillRunningAtTheEndWereCanceled() {
    TtyProgress p = tty(80, 24, true);
    ScriptedBuild.firstHalf(p, clock);
    p.close();
    String out = take();
    assertTrue(out.contains(L + E + "33m[+] Building 1.5s (0/2) CANCELED" + E + "0m\n"), out);
    assertTrue(out.contains(L + E + "33m" + row(" => CANCELED [base 1/2] FROM docker.io/library/"
        + "alpine:3.20", "1.5s", 79) + E + "0m\n"), out);
    assertTrue(out.contains(L + E + "33m" + row(" => CANCELED pulling 3f2a1b2c3d4e 28.0MB/45.0MB",
        "1.5s", 79) + E + "0m\n"), out);
  }

  @Test
  void runningStepShowsItsLastSixLines() {
    TtyProgress p = tty(60, 24, false);
    StepRef step = new StepRef("stage-0", 0, 1, 1, 1, 2);
    p.accept(new BuildEvent.StepStarted(step, "RUN ./build.sh"));
    for (int i = 1; i <= 8; i++) {
      p.accept(new BuildEvent.StepOutput(step, "line " + i, false));
    }
    clock.advanceMillis(2345);
    p.drawFrame();
    assertEquals(E + "?25l"
        + L + "[+] Building 2.3s (0/1)\n"
        + L + row(" => [stage-0 1/1] RUN ./build.sh", "2.3s", 59) + "\n"
        + L + " => => # line 3\n"
        + L + " => => # line 4\n"
        + L + " => => # line 5\n"
        + L + " => => # line 6\n"
        + L + " => => # line 7\n"
        + L + " => => # line 8\n", take());
    p.accept(new BuildEvent.StepFinished(step, Duration.ofMillis(2400)));
    p.drawFrame();
    assertEquals(E + "8A"
        + L + "[+] Building 2.3s (1/1)\n"
        + L + row(" => [stage-0 1/1] RUN ./build.sh", "2.4s", 59) + "\n"
        + E + "J", take());
  }

  @Test
  void processOutputCannotMoveTheCursor() {
    TtyProgress p = tty(80, 24, false);
    StepRef step = new StepRef("stage-0", 0, 1, 1, 1, 2);
    p.accept(new BuildEvent.StepStarted(step, "RUN curl -O x"));
    p.accept(new BuildEvent.StepOutput(step, "\u001b[31mred\u001b[0m\u001b[2A up", false));
    p.accept(new BuildEvent.StepOutput(step, " 10%\r 50%\r100%", false));
    p.accept(new BuildEvent.StepOutput(step, "a\tb\u0007\u001b]0;title\u0007!", false));
    p.drawFrame();
    String frame = take();
    assertTrue(frame.contains(" => => # red up\n"), frame);
    assertTrue(frame.contains(" => => # 100%\n"), frame);
    assertTrue(frame.contains(" => => # a       b!\n"), frame);
    assertFalse(frame.contains(E + "31m"), frame);
  }

  @Test
  void finishedRowsMoveAboveWhenTheViewIsTallerThanTheTerminal() {
    TtyProgress p = tty(40, 6, false);
    for (int i = 1; i <= 6; i++) {
      StepRef s = new StepRef("s", 0, 1, i, 7, i);
      p.accept(new BuildEvent.StepStarted(s, "RUN step" + i));
      p.accept(new BuildEvent.StepFinished(s, Duration.ofMillis(100 * i)));
    }
    p.accept(new BuildEvent.StepStarted(new StepRef("s", 0, 1, 7, 7, 7), "RUN last"));
    p.drawFrame();
    String frame = take();
    String[] lines = frame.split("\n");
    // header and 7 rows; the live area holds 5 lines (rows - 1): 3 finished rows go for good
    assertEquals(8, lines.length, frame);
    assertEquals(E + "?25l" + L + row(" => [s 1/7] RUN step1", "0.1s", 39), lines[0]);
    assertEquals(L + row(" => [s 2/7] RUN step2", "0.2s", 39), lines[1]);
    assertEquals(L + row(" => [s 3/7] RUN step3", "0.3s", 39), lines[2]);
    assertEquals(L + "[+] Building 0.0s (6/7)", lines[3]);
    assertEquals(L + row(" => [s 4/7] RUN step4", "0.4s", 39), lines[4]);
    assertEquals(L + row(" => [s 7/7] RUN last", "0.0s", 39), lines[7]);
    p.drawFrame();
    String next = take();
    assertTrue(next.startsWith(E + "5A" + L + "[+] Building"), next);
    assertEquals(5, next.split("\n").length, next);
  }

  @Test
  void runningRowsBeyondTheHeightAreCounted() {
    TtyProgress p = tty(40, 5, false);
    for (int i = 1; i <= 6; i++) {
      p.accept(new BuildEvent.TransferStarted("t" + i, "pulling t" + i, 100));
    }
    p.drawFrame();
    String[] lines = take().split("\n");
    assertEquals(4, lines.length);
    assertEquals(L + " => ... 4 more lines", lines[3]);
  }

  @Test
  void aResizedTerminalGetsNarrowerLines() {
    int[] columns = {120};
    Terminal resizable = new Terminal() {
      @Override
      public boolean stdoutIsTerminal() {
        return true;
      }

      @Override
      public boolean stderrIsTerminal() {
        return true;
      }

      @Override
      public Size size() {
        return new Size(columns[0], 24);
      }
    };
    TtyProgress p = new TtyProgress("Building", new PrintWriter(text), resizable, clock, false);
    p.accept(new BuildEvent.StepStarted(ScriptedBuild.BUILD_1,
        "RUN a-long-command --with many --arguments"));
    p.drawFrame();
    assertTrue(take().contains(row(" => [build 1/3] RUN a-long-command --with many --arguments",
        "0.0s", 119)));
    columns[0] = 30;
    p.drawFrame();
    assertTrue(take().contains(L + " => [build 1/3] RUN a-l\u2026 0.0s\n"));
  }

  @Test
  void everyLineFitsTheWidth() {
    for (int width : new int[] {20, 40, 57, 120}) {
      TtyProgress p = tty(width, 40, true);
      ScriptedBuild.firstHalf(p, clock);
      p.drawFrame();
      ScriptedBuild.secondHalf(p, clock);
      p.drawFrame();
      for (String line : take().split("\n")) {
        String visible = line.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "");
        if (!visible.startsWith("WARNING")) {
          assertTrue(TerminalText.width(visible) < width, width + ": " + visible);
        }
      }
    }
  }

  @Test
  void summaryFollowsTheFinalFrame() {
    TtyProgress p = tty(60, 24, false);
    Digest id = Digest.sha256(new byte[] {1});
    BuildSummary summary = new BuildSummary(id, Optional.empty(), List.of(), 1000,
        Duration.ofSeconds(1), 0, 0);
    p.summary(summary);
    p.close();
    String out = take();
    assertTrue(out.endsWith("built " + id.shortHex() + " in 1.0s (0 steps, 0 cached)\n"
        + "  image id  " + id + "\n  size      1kB\n" + E + "?25h"), out);
    p.close();
    assertEquals("", take());
  }

  @Test
  void redrawThreadDrawsWithoutBeingAsked() throws Exception {
    TtyProgress p = TtyProgress.start("Pulling alpine", new PrintWriter(text, true),
        Terminal.fixed(true, true, 80, 24), Clock.systemUTC(), false);
    p.accept(new BuildEvent.TransferStarted("a", "pulling a", 10));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!text.toString().contains("pulling a") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(text.toString().contains("[+] Pulling alpine"), text.toString());
    p.close();
    assertTrue(text.toString().endsWith(E + "?25h"), text.toString());
  }

  @Test
  void noColourWhenNoColorIsSetOrStderrIsNotATerminal() {
    String coloured = render(Terminal.fixed(true, true, 80, 24), Map.of());
    assertTrue(coloured.contains(E + "34m"), coloured);
    String noColor = render(Terminal.fixed(true, true, 80, 24), Map.of("NO_COLOR", "1"));
    assertFalse(noColor.contains(E + "34m"), noColor);
    assertTrue(noColor.contains(E + "?25h"), noColor);
    String notATerminal = render(Terminal.fixed(true, false, 80, 24), Map.of());
    assertFalse(notATerminal.contains(E + "34m"), notATerminal);
    String emptyNoColor = render(Terminal.fixed(true, true, 80, 24), Map.of("NO_COLOR", ""));
    assertTrue(emptyNoColor.contains(E + "34m"), emptyNoColor);
  }

  private String render(Terminal terminal, Map<String, String> env) {
    StringWriter out = new StringWriter();
    ProgressRenderer r = ProgressRenderer.open(ProgressMode.TTY, "Building",
        new PrintWriter(out), terminal, env, clock);
    r.accept(new BuildEvent.StepStarted(ScriptedBuild.BASE_1, "FROM scratch"));
    r.accept(new BuildEvent.StepCached(ScriptedBuild.BASE_1));
    r.close();
    return out.toString();
  }
}
