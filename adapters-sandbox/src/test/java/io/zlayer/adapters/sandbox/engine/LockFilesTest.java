package io.zlayer.adapters.sandbox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LockFilesTest {
  private final LockFiles locks = LockFiles.JVM;
  @TempDir Path temp;

  @Test
  void exclusiveExcludesOtherThreadsUntilReleased() throws Exception {
    Path file = temp.resolve("a.lock");
    CountDownLatch acquired = new CountDownLatch(1);
    Thread other;
    try (LockFiles.Held held = locks.exclusive(file)) {
      other = new Thread(() -> {
        try (LockFiles.Held mine = locks.exclusive(file)) {
          acquired.countDown();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      other.start();
      assertFalse(acquired.await(300, TimeUnit.MILLISECONDS), "waits while the lock is held");
      assertTrue(runOnOtherThread(() -> locks.tryExclusive(file)).isEmpty());
    }
    assertTrue(acquired.await(10, TimeUnit.SECONDS), "gets it once released");
    other.join();
  }

  @Test
  void sharedHoldersCoexistAndKeepExclusiveOut() throws Exception {
    Path file = temp.resolve("b.lock");
    CountDownLatch secondHolds = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread second = new Thread(() -> {
      try (LockFiles.Held held = locks.shared(file)) {
        secondHolds.countDown();
        release.await();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    try (LockFiles.Held first = locks.shared(file)) {
      second.start();
      assertTrue(secondHolds.await(10, TimeUnit.SECONDS), "a second reader gets in");
      assertTrue(runOnOtherThread(() -> locks.tryExclusive(file)).isEmpty());
      release.countDown();
      second.join();
      assertTrue(runOnOtherThread(() -> locks.tryExclusive(file)).isEmpty(),
          "the first shared holder still holds it");
    }
    Optional<LockFiles.Held> free = locks.tryExclusive(file);
    assertTrue(free.isPresent());
    free.get().close();
  }

  @Test
  void aThreadCannotWaitForALockItHolds() throws Exception {
    Path file = temp.resolve("c.lock");
    try (LockFiles.Held held = locks.shared(file)) {
      IOException e = assertThrows(IOException.class, () -> locks.exclusive(file));
      assertTrue(e.getMessage().contains("already held"));
    }
  }

  @Test
  void waitingIsInterruptible() throws Exception {
    Path file = temp.resolve("d.lock");
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    try (LockFiles.Held held = locks.exclusive(file)) {
      Thread waiter = new Thread(() -> {
        try (LockFiles.Held mine = locks.exclusive(file)) {
          outcome.set(new AssertionError("got the lock"));
        } catch (Throwable t) {
          outcome.set(t);
        }
      });
      waiter.start();
      Thread.sleep(200);
      waiter.interrupt();
      waiter.join(10_000);
      assertInstanceOf(InterruptedException.class, outcome.get());
    }
  }

  @Test
  void locksHeldByAnotherProcessAreRespected() throws Exception {
    Path file = temp.resolve("e.lock");
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
        file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
          StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      assertTrue(locks.tryExclusive(file).isEmpty(), "the other process holds it");
      CountDownLatch acquired = new CountDownLatch(1);
      Thread waiter = new Thread(() -> {
        try (LockFiles.Held shared = locks.shared(file)) {
          acquired.countDown();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      waiter.start();
      assertFalse(acquired.await(300, TimeUnit.MILLISECONDS));
      holder.getOutputStream().close();
      assertTrue(acquired.await(20, TimeUnit.SECONDS), "free once the other process let go");
      waiter.join();
    } finally {
      holder.destroy();
      holder.waitFor();
    }
  }

  private interface Action<T> {
    T run() throws Exception;
  }

  /** Runs on a fresh thread: the locks order threads, so the test thread would be reentrant. */
  private static <T> T runOnOtherThread(Action<T> action) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        result.set(action.run());
      } catch (Exception e) {
        failure.set(e);
      }
    });
    t.start();
    t.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }
}
