package io.zlayer.adapters.cli.progress;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.BuildEventSink;
import java.util.HashSet;
import java.util.Set;

/**
 * Passes events on to another sink and counts what happened: steps run, cached and failed,
 * blobs transferred or skipped. Commands read the counts for their final lines (a build's cache
 * hits, whether a pull downloaded anything).
 */
public final class EventTally implements BuildEventSink {
  private final BuildEventSink next;
  private final Set<String> cached = new HashSet<>();
  private final Set<String> finished = new HashSet<>();
  private final Set<String> failed = new HashSet<>();
  private int transfersDone;
  private int transfersSkipped;

  public EventTally(BuildEventSink next) {
    this.next = next;
  }

  @Override
  public void accept(BuildEvent event) {
    synchronized (this) {
      if (event instanceof BuildEvent.StepCached c) {
        cached.add(c.step().id());
      } else if (event instanceof BuildEvent.StepFinished f) {
        finished.add(f.step().id());
      } else if (event instanceof BuildEvent.StepFailed f) {
        failed.add(f.step().id());
      } else if (event instanceof BuildEvent.TransferFinished t) {
        if (t.skipped()) {
          transfersSkipped++;
        } else {
          transfersDone++;
        }
      }
    }
    next.accept(event);
  }

  /** Steps that completed, from the cache or by running. */
  public synchronized int stepsCompleted() {
    Set<String> all = new HashSet<>(finished);
    all.addAll(cached);
    return all.size();
  }

  public synchronized int stepsCached() {
    return cached.size();
  }

  public synchronized int stepsFailed() {
    return failed.size();
  }

  /** Blobs actually moved. */
  public synchronized int transfersDone() {
    return transfersDone;
  }

  /** Blobs the other side already had. */
  public synchronized int transfersSkipped() {
    return transfersSkipped;
  }
}
