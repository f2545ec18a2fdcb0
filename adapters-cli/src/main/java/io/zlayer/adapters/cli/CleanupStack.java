package io.zlayer.adapters.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cleanups a running command registered (remove a sandbox, delete a temporary directory, restore
 * the cursor). Each runs exactly once: when the command closes its {@link Entry} (normally in a
 * try-with-resources), or, if the command is stopped by Ctrl-C and does not finish in time, from
 * the shutdown hook. Whatever is left when the command ends runs then, newest first.
 */
public final class CleanupStack {
  /** A cleanup action. */
  @FunctionalInterface
  public interface Cleanup {
    void run() throws Exception;
  }

  /** A registered cleanup; {@link #close()} runs it now (once) and unregisters it. */
  // close() may throw InterruptedException: a cleanup can wait for a process to end
  @SuppressWarnings("try")
  public final class Entry implements AutoCloseable {
    private final String description;
    private final Cleanup action;
    private final AtomicBoolean ran = new AtomicBoolean();

    private Entry(String description, Cleanup action) {
      this.description = description;
      this.action = action;
    }

    /** Runs the cleanup unless it ran already; a failure is rethrown. */
    @Override
    public void close() throws Exception {
      remove(this);
      if (ran.compareAndSet(false, true)) {
        action.run();
      }
    }

    public String description() {
      return description;
    }
  }

  private final Deque<Entry> entries = new ArrayDeque<>();

  /** Registers a cleanup; close the returned entry to run it when the work is done. */
  public synchronized Entry push(String description, Cleanup action) {
    Entry e = new Entry(description, action);
    entries.push(e);
    return e;
  }

  private synchronized void remove(Entry e) {
    entries.remove(e);
  }

  synchronized int size() {
    return entries.size();
  }

  /**
   * Runs every cleanup still registered, newest first; returns one line per failure
   * ("remove sandbox: permission denied") so the caller can report them. The thread's interrupt
   * status is cleared while they run (after Ctrl-C it is set, and a cleanup may need to wait for
   * a process) and restored afterwards.
   */
  List<String> runAll() {
    boolean interrupted = Thread.interrupted();
    List<String> failures = new ArrayList<>();
    try {
      while (true) {
        Entry e;
        synchronized (this) {
          e = entries.poll();
        }
        if (e == null) {
          return failures;
        }
        try {
          e.close();
        } catch (Exception ex) {
          if (ex instanceof InterruptedException) {
            interrupted = true;
          }
          failures.add(e.description + ": " + ex.getMessage());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
