package io.zlayer.adapters.cli.progress;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.StepRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state behind the live view: every step and transfer seen, in the order they appeared,
 * with their state, times, the last lines of running steps and transfer rates. Not
 * thread-safe; {@link TtyProgress} guards it.
 */
final class ProgressBoard {
  /** Output lines kept per step. */
  static final int TAIL_LINES = 6;
  private static final Duration RATE_WINDOW = Duration.ofSeconds(2);

  enum State {
    RUNNING,
    CACHED,
    DONE,
    FAILED;

    boolean finished() {
      return this != RUNNING;
    }
  }

  /** A line of the live view: a step or a transfer. */
  abstract static class Row {
    final Instant started;
    State state = State.RUNNING;

    Row(Instant started) {
      this.started = started;
    }
  }

  static final class StepRow extends Row {
    final StepRef ref;
    String text = "";
    Duration elapsed;
    final Deque<String> tail = new ArrayDeque<>();

    StepRow(StepRef ref, Instant started) {
      super(started);
      this.ref = ref;
    }
  }

  static final class TransferRow extends Row {
    final String id;
    final String description;
    long total;
    long done;
    Instant finishedAt;
    private final Deque<long[]> samples = new ArrayDeque<>();

    TransferRow(String id, String description, long total, Instant started) {
      super(started);
      this.id = id;
      this.description = description;
      this.total = total;
      samples.add(new long[] {millis(started), 0});
    }

    void progress(long bytes, long newTotal, Instant now) {
      done = bytes;
      if (newTotal > 0) {
        total = newTotal;
      }
      long t = millis(now);
      samples.add(new long[] {t, bytes});
      // keep one sample at or before the window's start as the baseline
      while (samples.size() > 2 && secondSample()[0] <= t - RATE_WINDOW.toMillis()) {
        samples.removeFirst();
      }
    }

    private long[] secondSample() {
      var it = samples.iterator();
      it.next();
      return it.next();
    }

    /** Bytes per second over the last two seconds, or -1 when there is too little to tell. */
    long rate(Instant now) {
      long t = millis(now);
      long[] baseline = samples.getFirst();
      for (long[] s : samples) {
        if (s[0] <= t - RATE_WINDOW.toMillis()) {
          baseline = s;
        }
      }
      long span = t - baseline[0];
      if (span < 200) {
        return -1;
      }
      return (done - baseline[1]) * 1000 / span;
    }

    private static long millis(Instant i) {
      return i.toEpochMilli();
    }
  }

  record Stage(String name, int stepCount) {}

  record Message(BuildEvent.Level level, String text) {}

  private final List<Row> live = new ArrayList<>();
  private final Map<String, StepRow> steps = new HashMap<>();
  private final Map<String, TransferRow> transfers = new HashMap<>();
  private final TreeMap<Integer, Stage> stages = new TreeMap<>();
  private final List<Message> messages = new ArrayList<>();
  private int transfersSeen;
  private int transfersFinished;
  private long version;

  void apply(BuildEvent event, Instant now) {
    version++;
    if (event instanceof BuildEvent.StepStarted e) {
      StepRow row = step(e.step(), now);
      row.text = e.text();
    } else if (event instanceof BuildEvent.StepOutput e) {
      StepRow row = step(e.step(), now);
      row.tail.addLast(TerminalText.sanitize(e.line()));
      while (row.tail.size() > TAIL_LINES) {
        row.tail.removeFirst();
      }
    } else if (event instanceof BuildEvent.StepCached e) {
      StepRow row = step(e.step(), now);
      row.state = State.CACHED;
      if (row.elapsed == null) {
        row.elapsed = Duration.ZERO;
      }
    } else if (event instanceof BuildEvent.StepFinished e) {
      StepRow row = step(e.step(), now);
      if (row.state != State.CACHED) {
        row.state = State.DONE;
      }
      row.elapsed = e.elapsed();
    } else if (event instanceof BuildEvent.StepFailed e) {
      StepRow row = step(e.step(), now);
      row.state = State.FAILED;
      row.elapsed = e.elapsed();
      row.tail.addLast(TerminalText.sanitize(e.message()));
      while (row.tail.size() > TAIL_LINES) {
        row.tail.removeFirst();
      }
    } else if (event instanceof BuildEvent.TransferStarted e) {
      TransferRow row = new TransferRow(e.id(), e.description(), e.totalBytes(), now);
      transfers.put(e.id(), row);
      live.add(row);
      transfersSeen++;
    } else if (event instanceof BuildEvent.TransferProgress e) {
      transfer(e.id(), now).progress(e.bytesDone(), e.totalBytes(), now);
    } else if (event instanceof BuildEvent.TransferFinished e) {
      TransferRow row = transfer(e.id(), now);
      transfers.remove(e.id());
      row.state = e.skipped() ? State.CACHED : State.DONE;
      row.finishedAt = now;
      if (!e.skipped() && row.total > 0) {
        row.done = row.total;
      }
      transfersFinished++;
    } else if (event instanceof BuildEvent.Message e) {
      messages.add(new Message(e.level(), e.text()));
    }
  }

  private StepRow step(StepRef ref, Instant now) {
    StepRow row = steps.get(ref.id());
    if (row == null) {
      row = new StepRow(ref, now);
      steps.put(ref.id(), row);
      live.add(row);
      stages.put(ref.stageIndex(), new Stage(ref.stage(), ref.stepCount()));
    }
    return row;
  }

  private TransferRow transfer(String id, Instant now) {
    TransferRow row = transfers.get(id);
    if (row == null) {
      row = new TransferRow(id, id, -1, now);
      transfers.put(id, row);
      live.add(row);
      transfersSeen++;
    }
    return row;
  }

  /** Rows still drawn in the live area, in the order they appeared. */
  List<Row> liveRows() {
    return live;
  }

  /** Takes a finished row out of the live area (it was printed for good above it). */
  void commit(Row row) {
    live.remove(row);
  }

  /** Messages not printed yet; the caller prints them. */
  List<Message> drainMessages() {
    List<Message> out = List.copyOf(messages);
    messages.clear();
    return out;
  }

  long version() {
    return version;
  }

  boolean anyRunning() {
    return live.stream().anyMatch(r -> r.state == State.RUNNING);
  }

  boolean anyFailed() {
    return steps.values().stream().anyMatch(r -> r.state == State.FAILED);
  }

  /** {completed, total}: of steps when there are any (total from the stages), else of transfers. */
  int[] progressCount() {
    if (!stages.isEmpty()) {
      int total = stages.values().stream().mapToInt(Stage::stepCount).sum();
      int completed = (int) steps.values().stream().filter(r -> r.state.finished()).count();
      return new int[] {completed, Math.max(total, steps.size())};
    }
    return new int[] {transfersFinished, transfersSeen};
  }

  /**
   * Per started stage, the numbers of its steps not seen yet, as {@code [build 4-5/5]}-style
   * labels.
   */
  List<String> waitingLabels() {
    List<String> labels = new ArrayList<>();
    for (Map.Entry<Integer, Stage> e : stages.entrySet()) {
      Stage stage = e.getValue();
      StringBuilder ranges = new StringBuilder();
      int n = 1;
      while (n <= stage.stepCount()) {
        if (steps.containsKey(e.getKey() + "." + n)) {
          n++;
          continue;
        }
        int first = n;
        while (n + 1 <= stage.stepCount() && !steps.containsKey(e.getKey() + "." + (n + 1))) {
          n++;
        }
        if (ranges.length() > 0) {
          ranges.append(',');
        }
        ranges.append(first == n ? Integer.toString(first) : first + "-" + n);
        n++;
      }
      if (ranges.length() > 0) {
        labels.add("[" + stage.name() + " " + ranges + "/" + stage.stepCount() + "]");
      }
    }
    return labels;
  }
}
