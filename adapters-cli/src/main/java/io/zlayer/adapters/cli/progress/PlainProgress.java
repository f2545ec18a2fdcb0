package io.zlayer.adapters.cli.progress;

import io.zlayer.adapters.cli.format.HumanUnits;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.StepRef;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --progress=plain}: BuildKit's plain output, one line per event, each prefixed with the
 * number of its step or transfer, for CI logs:
 *
 * <pre>
 * #3 [build 2/5] RUN make
 * #3 0.412 cc -o app main.c
 * #3 DONE 1.2s
 * </pre>
 *
 * Transfer progress is printed at most once a second per transfer. Steps still open when the
 * view closes (cut off by Ctrl-C or by another step's failure) end with {@code #N CANCELED}.
 */
public final class PlainProgress implements ProgressRenderer {
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

  private final PrintWriter out;
  private final Clock clock;
  private final Map<String, Vertex> steps = new HashMap<>();
  private final Map<String, Vertex> transfers = new HashMap<>();
  private int lastNumber;
  private boolean closed;

  public PlainProgress(PrintWriter out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  private static final class Vertex {
    final int number;
    final Instant started;
    Instant progressPrintedAt;
    long progressPrinted = -1;
    boolean ended;

    Vertex(int number, Instant started) {
      this.number = number;
      this.started = started;
    }
  }

  @Override
  public synchronized void accept(BuildEvent event) {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    if (event instanceof BuildEvent.StepStarted e) {
      step(e.step(), e.text(), now);
    } else if (event instanceof BuildEvent.StepOutput e) {
      Vertex v = step(e.step(), "", now);
      double offset = Duration.between(v.started, now).toMillis() / 1000.0;
      line(v, String.format(Locale.ROOT, "%.3f %s", Math.max(offset, 0), e.line()));
    } else if (event instanceof BuildEvent.StepCached e) {
      end(step(e.step(), "", now), "CACHED");
    } else if (event instanceof BuildEvent.StepFinished e) {
      end(step(e.step(), "", now), "DONE " + HumanUnits.seconds(e.elapsed()));
    } else if (event instanceof BuildEvent.StepFailed e) {
      end(step(e.step(), "", now), "ERROR: " + e.message());
    } else if (event instanceof BuildEvent.TransferStarted e) {
      Vertex v = header(e.description(), now);
      transfers.put(e.id(), v);
    } else if (event instanceof BuildEvent.TransferProgress e) {
      Vertex v = transfer(e.id(), now);
      boolean due = v.progressPrintedAt == null
          || !now.isBefore(v.progressPrintedAt.plus(PROGRESS_INTERVAL));
      if (due && e.bytesDone() != v.progressPrinted) {
        v.progressPrintedAt = now;
        v.progressPrinted = e.bytesDone();
        String amount = e.totalBytes() > 0
            ? HumanUnits.fixedSize(e.bytesDone()) + " / " + HumanUnits.fixedSize(e.totalBytes())
            : HumanUnits.fixedSize(e.bytesDone());
        line(v, amount + " " + HumanUnits.seconds(Duration.between(v.started, now)));
      }
    } else if (event instanceof BuildEvent.TransferFinished e) {
      Vertex v = transfer(e.id(), now);
      transfers.remove(e.id());
      line(v, e.skipped() ? "CACHED"
          : "DONE " + HumanUnits.seconds(Duration.between(v.started, now)));
    } else if (event instanceof BuildEvent.Message e) {
      out.println(e.level() == BuildEvent.Level.WARNING ? "WARNING: " + e.text() : e.text());
    }
    out.flush();
  }

  private Vertex step(StepRef ref, String text, Instant now) {
    Vertex v = steps.get(ref.id());
    if (v == null) {
      v = header(text.isEmpty() ? ref.label() : ref.label() + " " + text, now);
      steps.put(ref.id(), v);
    }
    return v;
  }

  private Vertex transfer(String id, Instant now) {
    Vertex v = transfers.get(id);
    if (v == null) {
      v = header(id, now);
      transfers.put(id, v);
    }
    return v;
  }

  private Vertex header(String text, Instant now) {
    if (lastNumber > 0) {
      out.println();
    }
    Vertex v = new Vertex(++lastNumber, now);
    line(v, text);
    return v;
  }

  private void end(Vertex v, String text) {
    v.ended = true;
    line(v, text);
  }

  private void line(Vertex v, String text) {
    out.println("#" + v.number + " " + text);
  }

  @Override
  public synchronized void summary(BuildSummary summary) {
    if (closed) {
      return;
    }
    out.println();
    summary.lines().forEach(out::println);
    out.flush();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      steps.values().stream().filter(v -> !v.ended)
          .sorted(java.util.Comparator.comparingInt(v -> v.number))
          .forEach(v -> line(v, "CANCELED"));
    }
    closed = true;
    out.flush();
  }
}
