package io.zlayer.adapters.registry;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cuts a download whose bytes stopped flowing: the JDK client has no read timeout for response
 * bodies, so a watcher closes the body when no byte arrived for a while, and the download
 * resumes on a new connection.
 */
final class StallGuard implements Closeable {
  private static final ScheduledExecutorService WATCHER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "zlayer-registry-stall-guard");
        t.setDaemon(true);
        return t;
      });

  private final ScheduledFuture<?> task;
  private final AtomicBoolean fired = new AtomicBoolean();
  private volatile long lastProgress = System.nanoTime();

  StallGuard(Duration timeout, Closeable victim) {
    long nanos = Math.max(timeout.toNanos(), TimeUnit.MILLISECONDS.toNanos(10));
    long period = Math.max(nanos / 4, TimeUnit.MILLISECONDS.toNanos(5));
    this.task = WATCHER.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastProgress > nanos && fired.compareAndSet(false, true)) {
        try {
          victim.close();
        } catch (IOException ignored) {
          // the reader sees the stream end either way
        }
      }
    }, period, period, TimeUnit.NANOSECONDS);
  }

  void progressed() {
    lastProgress = System.nanoTime();
  }

  boolean fired() {
    return fired.get();
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
