package io.zlayer.adapters.cli.progress;

import io.zlayer.adapters.cli.format.HumanUnits;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.adapters.cli.progress.ProgressBoard.Row;
import io.zlayer.adapters.cli.progress.ProgressBoard.State;
import io.zlayer.adapters.cli.progress.ProgressBoard.StepRow;
import io.zlayer.adapters.cli.progress.ProgressBoard.TransferRow;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code --progress=tty}: a live view in BuildKit's style, redrawn in place about ten times a
 * second by a background thread:
 *
 * <pre>
 * [+] Building 3.4s (3/5)
 *  => [build 1/5] FROM docker.io/library/alpine                                   0.5s
 *  => CACHED [build 2/5] COPY . .                                                 0.0s
 *  => [build 3/5] RUN make                                                        1.2s
 *  => => # cc -o app main.c
 *  => pulling 3f2a1b2c3d4e 12.3MB/45.0MB 8.1MB/s                                  0.9s
 *  => [build 4-5/5] waiting
 * </pre>
 *
 * Lines are cut to the terminal's width (read again every frame, so a resize is followed).
 * When the view would be taller than the terminal, finished rows move above it for good. The
 * final frame stays on screen after {@link #close()}. Colours only when asked for (a terminal
 * without {@code NO_COLOR}).
 */
public final class TtyProgress implements ProgressRenderer {
  static final Duration FRAME_INTERVAL = Duration.ofMillis(100);

  static final String CSI = "\u001b[";
  static final String HIDE_CURSOR = CSI + "?25l";
  static final String SHOW_CURSOR = CSI + "?25h";
  static final String CLEAR_LINE = CSI + "2K";
  static final String CLEAR_BELOW = CSI + "J";
  static final String BLUE = CSI + "34m";
  static final String RED = CSI + "31m";
  static final String YELLOW = CSI + "33m";
  static final String DIM = CSI + "2m";
  static final String RESET = CSI + "0m";

  private static final int MIN_USABLE = 10;

  private final String title;
  private final PrintWriter out;
  private final Terminal terminal;
  private final Clock clock;
  private final boolean colour;
  private final Instant startedAt;
  private final ProgressBoard board = new ProgressBoard();
  private final Object drawLock = new Object();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean stopping;
  private Thread thread;
  private int liveHeight;
  private boolean cursorHidden;
  private boolean finished;
  private BuildSummary summary;

  /** A renderer that draws only when {@link #drawFrame()} is called (tests, custom loops). */
  public TtyProgress(String title, PrintWriter out, Terminal terminal, Clock clock,
      boolean colour) {
    this.title = title;
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
    this.colour = colour;
    this.startedAt = clock.instant();
  }

  /** A renderer with its redraw thread running. */
  public static TtyProgress start(String title, PrintWriter out, Terminal terminal, Clock clock,
      boolean colour) {
    TtyProgress progress = new TtyProgress(title, out, terminal, clock, colour);
    Thread t = new Thread(progress::redrawLoop, "zlayer-progress");
    t.setDaemon(true);
    progress.thread = t;
    t.start();
    return progress;
  }

  @Override
  public void accept(BuildEvent event) {
    if (closing.get()) {
      return;
    }
    Instant now = clock.instant();
    synchronized (board) {
      board.apply(event, now);
    }
  }

  private void redrawLoop() {
    long drawn = -1;
    while (!stopping) {
      try {
        Thread.sleep(FRAME_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      boolean due;
      synchronized (board) {
        due = board.version() != drawn || board.anyRunning();
        drawn = board.version();
      }
      if (due && !stopping) {
        drawFrame();
      }
    }
  }

  /** Draws the current state over the previous frame. */
  public void drawFrame() {
    synchronized (drawLock) {
      if (!finished) {
        render(false);
      }
    }
  }

  @Override
  public void summary(BuildSummary buildSummary) {
    synchronized (drawLock) {
      if (finished) {
        buildSummary.lines().forEach(out::println);
        out.flush();
      } else {
        summary = buildSummary;
      }
    }
  }

  /** Stops redrawing and prints the final frame (every row, no height limit). */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    stopping = true;
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (drawLock) {
      if (!finished) {
        render(true);
        finished = true;
      }
    }
  }

  private void render(boolean last) {
    Instant now = clock.instant();
    Terminal.Size size = terminal.size();
    int usable = Math.max(size.columns() - 1, MIN_USABLE);
    int maxLive = last ? Integer.MAX_VALUE : Math.max(size.rows() - 1, 2);
    List<String> permanent = new ArrayList<>();
    List<String> live;
    synchronized (board) {
      for (ProgressBoard.Message m : board.drainMessages()) {
        permanent.add(messageLine(m));
      }
      int tail = ProgressBoard.TAIL_LINES;
      live = liveLines(now, usable, last, tail);
      for (Row row : List.copyOf(board.liveRows())) {
        if (live.size() <= maxLive) {
          break;
        }
        if (row.state.finished()) {
          permanent.addAll(rowLines(row, now, usable, tail, false));
          board.commit(row);
          live = liveLines(now, usable, last, tail);
        }
      }
      while (live.size() > maxLive && tail > 0) {
        tail--;
        live = liveLines(now, usable, last, tail);
      }
      if (live.size() > maxLive) {
        int hidden = live.size() - (maxLive - 1);
        live = new ArrayList<>(live.subList(0, maxLive - 1));
        live.add(paint(DIM, TerminalText.cut(" => ... " + hidden + " more lines", usable)));
      }
    }
    StringBuilder sb = new StringBuilder();
    if (!cursorHidden) {
      sb.append(HIDE_CURSOR);
      cursorHidden = true;
    }
    if (liveHeight > 0) {
      sb.append(CSI).append(liveHeight).append('A');
    }
    for (String line : permanent) {
      sb.append(CLEAR_LINE).append(line).append('\n');
    }
    for (String line : live) {
      sb.append(CLEAR_LINE).append(line).append('\n');
    }
    if (permanent.size() + live.size() < liveHeight) {
      sb.append(CLEAR_BELOW);
    }
    liveHeight = live.size();
    if (last) {
      if (summary != null) {
        for (String line : summary.lines()) {
          sb.append(line).append('\n');
        }
      }
      sb.append(SHOW_CURSOR);
      liveHeight = 0;
    }
    out.print(sb);
    out.flush();
  }

  private List<String> liveLines(Instant now, int usable, boolean last, int tail) {
    List<String> lines = new ArrayList<>();
    int[] count = board.progressCount();
    String header = "[+] " + title + " " + HumanUnits.seconds(Duration.between(startedAt, now))
        + " (" + count[0] + "/" + count[1] + ")";
    boolean failed = board.anyFailed();
    boolean canceled = last && board.anyRunning();
    if (last) {
      header += failed ? " FAILED" : canceled ? " CANCELED" : " FINISHED";
    }
    header = TerminalText.cut(header, usable);
    lines.add(last && failed ? paint(RED, header) : canceled ? paint(YELLOW, header) : header);
    for (Row row : board.liveRows()) {
      lines.addAll(rowLines(row, now, usable, tail, last));
    }
    if (!last) {
      for (String label : board.waitingLabels()) {
        lines.add(paint(DIM, TerminalText.cut(" => " + label + " waiting", usable)));
      }
    }
    return lines;
  }

  /**
   * The lines of one row: the row itself, and the last output lines of a running or failed step.
   * In the final frame ({@code last}) a row still running was cut off: it shows as CANCELED.
   */
  private List<String> rowLines(Row row, Instant now, int usable, int tail, boolean last) {
    List<String> lines = new ArrayList<>();
    boolean canceled = last && row.state == State.RUNNING;
    String colourCode = row.state == State.FAILED ? RED
        : row.state.finished() ? BLUE : canceled ? YELLOW : null;
    if (row instanceof StepRow step) {
      String prefix = " => " + (step.state == State.CACHED ? "CACHED "
          : step.state == State.FAILED ? "ERROR " : canceled ? "CANCELED " : "");
      String head = prefix + step.ref.label() + (step.text.isEmpty() ? "" : " ");
      Duration elapsed = step.elapsed != null ? step.elapsed : Duration.between(step.started, now);
      lines.add(paint(colourCode, compose(head, step.text, "", HumanUnits.seconds(elapsed),
          usable)));
      if (step.state == State.RUNNING || step.state == State.FAILED) {
        int skip = Math.max(step.tail.size() - tail, 0);
        String logColour = step.state == State.FAILED ? RED : DIM;
        for (String log : step.tail) {
          if (skip-- > 0) {
            continue;
          }
          lines.add(paint(logColour, TerminalText.cut(" => => # " + log, usable)));
        }
      }
    } else {
      TransferRow transfer = (TransferRow) row;
      String prefix = " => " + (transfer.state == State.CACHED ? "CACHED "
          : canceled ? "CANCELED " : "");
      Instant end = transfer.finishedAt != null ? transfer.finishedAt : now;
      String time = HumanUnits.seconds(Duration.between(transfer.started, end));
      String stats = transferStats(transfer, now, !canceled);
      if (!fits(prefix + transfer.description + " " + stats, time, usable)) {
        stats = transferStats(transfer, now, false);
      }
      lines.add(paint(colourCode, compose(prefix, transfer.description,
          stats.isEmpty() ? "" : " " + stats, time, usable)));
    }
    return lines;
  }

  private static boolean fits(String left, String time, int usable) {
    return TerminalText.width(left) + 1 + TerminalText.width(time) <= usable;
  }

  /** Bytes done and total, and the rate when asked (it goes first when space is short). */
  private static String transferStats(TransferRow t, Instant now, boolean withRate) {
    switch (t.state) {
      case RUNNING: {
        String s = HumanUnits.fixedSize(t.done);
        if (t.total > 0) {
          s += "/" + HumanUnits.fixedSize(t.total);
        }
        long rate = withRate ? t.rate(now) : -1;
        if (rate >= 0) {
          s += " " + HumanUnits.fixedSize(rate) + "/s";
        }
        return s;
      }
      case DONE:
        return HumanUnits.fixedSize(t.total > 0 ? t.total : t.done);
      default:
        return "";
    }
  }

  /**
   * One row: {@code head + elastic + tail}, the time at the right edge. When it does not fit,
   * the elastic part (the instruction, the description) is shortened with an ellipsis first.
   */
  static String compose(String head, String elastic, String tail, String time, int usable) {
    int room = usable - TerminalText.width(time) - 1;
    int fixed = TerminalText.width(head) + TerminalText.width(tail);
    String left;
    if (fixed > room) {
      left = TerminalText.cut(head + tail, Math.max(room, 0));
    } else {
      int available = room - fixed;
      String e = elastic;
      if (TerminalText.width(elastic) > available) {
        e = available >= 2 ? TerminalText.cut(elastic, available - 1) + "\u2026"
            : TerminalText.cut(elastic, available);
      }
      left = head + e + tail;
    }
    int gap = usable - TerminalText.width(left) - TerminalText.width(time);
    if (gap < 1) {
      return TerminalText.cut(left, usable);
    }
    return left + " ".repeat(gap) + time;
  }

  private String messageLine(ProgressBoard.Message m) {
    String text = TerminalText.sanitize(m.text());
    return m.level() == BuildEvent.Level.WARNING ? paint(YELLOW, "WARNING: " + text) : text;
  }

  private String paint(String code, String text) {
    return colour && code != null ? code + text + RESET : text;
  }
}
