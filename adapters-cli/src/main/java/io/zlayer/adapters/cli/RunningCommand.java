package io.zlayer.adapters.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The command {@link ZlayerCli#execute} runs: its thread, its cleanups, whether it was stopped. */
final class RunningCommand {
  private final Thread thread;
  private final CleanupStack cleanups = new CleanupStack();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean interrupted;

  RunningCommand(Thread thread) {
    this.thread = thread;
  }

  CleanupStack cleanups() {
    return cleanups;
  }

  boolean interrupted() {
    return interrupted;
  }

  /** Asks the command to stop: marks it and interrupts its thread. */
  void interrupt() {
    interrupted = true;
    thread.interrupt();
  }

  void finished() {
    done.countDown();
  }

  /** Waits for the command to end; false when it did not within {@code timeout}. */
  boolean awaitFinished(Duration timeout) {
    try {
      return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return done.getCount() == 0;
    }
  }
}
