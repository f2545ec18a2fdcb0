package io.zlayer.adapters.sandbox.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets another thread stop a running step (Ctrl-C, a failed sibling stage). Once cancelled it
 * stays cancelled; actions registered afterwards run at once.
 */
public final class CancellationSignal {
  private final List<Runnable> actions = new ArrayList<>();
  private boolean cancelled;

  /** A registered action; closing it unregisters the action. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = List.copyOf(actions);
      actions.clear();
    }
    toRun.forEach(Runnable::run);
  }

  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /** Runs {@code action} on cancellation (immediately, on this thread, if already cancelled). */
  public Registration onCancel(Runnable action) {
    synchronized (this) {
      if (!cancelled) {
        actions.add(action);
        return () -> {
          synchronized (this) {
            actions.remove(action);
          }
        };
      }
    }
    action.run();
    return () -> { };
  }
}
