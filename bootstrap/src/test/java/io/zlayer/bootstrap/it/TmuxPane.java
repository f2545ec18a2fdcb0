package io.zlayer.bootstrap.it;

import io.zlayer.application.testing.RealParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A command in a real pseudo-terminal: a detached tmux session of a given size on a private
 * tmux server, whose screen the test reads with {@code capture-pane}. {@link #close()} kills
 * the server and with it the command.
 */
final class TmuxPane implements AutoCloseable {
  private final String socket = "zlayer-it-" + UUID.randomUUID();
  private final String tmux;

  private TmuxPane() {
    this.tmux = RealParts.require("tmux").toString();
  }

  /** Starts {@code shellCommand} (run by {@code sh -c}) in a {@code columns}×{@code rows} pane. */
  static TmuxPane start(int columns, int rows, String shellCommand)
      throws IOException, InterruptedException {
    TmuxPane pane = new TmuxPane();
    pane.tmux("-f", "/dev/null", "new-session", "-d", "-x", Integer.toString(columns), "-y",
        Integer.toString(rows), shellCommand);
    return pane;
  }

  /** The visible screen, one string per row, trailing blanks removed. */
  List<String> screen() throws IOException, InterruptedException {
    return tmux("capture-pane", "-p").lines().map(String::stripTrailing).toList();
  }

  /** Waits (at most {@code seconds}) until the screen shows {@code text}; the screen then. */
  List<String> waitFor(String text, int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> screen = screen();
    while (screen.stream().noneMatch(l -> l.contains(text))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the terminal never showed \"" + text + "\":\n"
            + String.join("\n", screen));
      }
      Thread.sleep(200);
      screen = screen();
    }
    return screen;
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(tmux, "-L", socket));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux " + String.join(" ", args) + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    Process p = new ProcessBuilder(tmux, "-L", socket, "kill-server").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
