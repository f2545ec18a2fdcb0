package io.zlayer.application.image;

import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.ZlayerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent blob transfers a bounded number at a time. The first failure cancels the
 * rest and is rethrown as it was (a {@link ZlayerException} stays one).
 */
public final class ParallelTransfers {
  /** How many blobs move at once, as docker and containerd default to (3 to 5). */
  public static final int DEFAULT_PARALLELISM = 4;

  /** One transfer. */
  @FunctionalInterface
  public interface Transfer {
    void run() throws ZlayerException, InterruptedException;
  }

  private ParallelTransfers() {}

  public static void runAll(List<Transfer> transfers, int parallelism)
      throws ZlayerException, InterruptedException {
    if (transfers.isEmpty()) {
      return;
    }
    if (transfers.size() == 1) {
      transfers.get(0).run();
      return;
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, transfers.size()),
        r -> {
          Thread t = new Thread(r, "zlayer-transfer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Transfer t : transfers) {
        futures.add(pool.submit(() -> {
          t.run();
          return null;
        }));
      }
      for (Future<Void> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          futures.forEach(other -> other.cancel(true));
          Throwable cause = e.getCause();
          if (cause instanceof ZlayerException z) {
            throw z;
          }
          if (cause instanceof InterruptedException ie) {
            throw ie;
          }
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new RegistryException(RegistryException.Kind.PROTOCOL,
              "transfer failed: " + cause, null, cause);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
