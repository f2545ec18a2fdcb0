package io.zlayer.adapters.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Ctrl-C cancels the step and interrupts the build thread at once, in either order. */
class SandboxProcessTest {
  @Test
  void cancelAndInterruptTogetherReportACancelledStepNotSurvivors() throws Exception {
    for (int i = 0; i < 25; i++) {
      long delayMillis = i % 5 * 5;
      CancellationSignal cancel = new CancellationSignal();
      AtomicReference<Thread> runner = new AtomicReference<>();
      CompletableFuture<Object> result = new CompletableFuture<>();
      Thread thread = new Thread(() -> {
        runner.set(Thread.currentThread());
        try {
          SandboxProcess.Outcome outcome = SandboxProcess.run(
              List.of("sh", "-c", "sleep 30 & sleep 30 & echo go; wait"), new byte[0],
              line -> {
                if (line.text().equals("go")) {
                  cancel.cancel();
                  CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS)
                      .execute(() -> runner.get().interrupt());
                }
              }, cancel);
          result.complete(outcome);
        } catch (InterruptedException e) {
          result.complete(e); // interrupted while waiting for the process: also fine
        } catch (Exception e) {
          result.complete(e);
        }
      });
      thread.start();
      Object outcome = result.get(30, TimeUnit.SECONDS);
      assertTrue(outcome instanceof SandboxProcess.Outcome o && o.cancelled()
          || outcome instanceof InterruptedException, "run " + i + ": " + outcome);
      thread.join(5000);
    }
  }
}
