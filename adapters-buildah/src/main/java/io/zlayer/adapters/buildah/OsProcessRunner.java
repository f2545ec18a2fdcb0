package io.zlayer.adapters.buildah;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ProcessRunner} with {@link ProcessBuilder}. Interruption first asks the process tree to
 * stop (SIGTERM, which lets buildah unmount and release its locks), then kills what is left.
 */
public final class OsProcessRunner implements ProcessRunner {
  private static final long GRACE_SECONDS = 10;

  @Override
  public Result run(Invocation invocation, OutputSink sink)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(invocation.argv());
    builder.environment().putAll(invocation.environment());
    invocation.workingDir().ifPresent(dir -> builder.directory(dir.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    StringBuilder stdout = new StringBuilder();
    Deque<String> tail = new ArrayDeque<>();
    Thread out = reader(process.getInputStream(), line -> {
      if (invocation.captureStdout()) {
        synchronized (stdout) {
          stdout.append(line).append('\n');
        }
      }
      sink.line(line, false);
    });
    Thread err = reader(process.getErrorStream(), line -> {
      synchronized (tail) {
        tail.addLast(line);
        if (tail.size() > Result.TAIL_LINES) {
          tail.removeFirst();
        }
      }
      sink.line(line, true);
    });
    try {
      int code = process.waitFor();
      out.join();
      err.join();
      List<String> lines;
      synchronized (tail) {
        lines = new ArrayList<>(tail);
      }
      synchronized (stdout) {
        return new Result(code, stdout.toString(), lines);
      }
    } catch (InterruptedException e) {
      stopTree(process);
      throw e;
    }
  }

  private static final long KILL_WAIT_SECONDS = 10;

  /** Stops a process and its descendants without being interruptible itself. */
  static void stopTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    process.toHandle().descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
    boolean interrupted = false;
    for (ProcessHandle handle : tree) {
      while (handle.isAlive() && System.nanoTime() < deadline) {
        try {
          handle.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (Exception e) {
          break;
        }
      }
    }
    process.toHandle().descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroyForcibly);
    // SIGKILL is not instant: wait (boundedly) until they are gone, so that nothing of the step
    // is still running when the build reports that it stopped
    long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_WAIT_SECONDS);
    for (ProcessHandle handle : tree) {
      while (handle.isAlive() && System.nanoTime() < killDeadline) {
        try {
          handle.onExit().get(Math.max(1, killDeadline - System.nanoTime()),
              TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (Exception e) {
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread reader(InputStream stream, java.util.function.Consumer<String> onLine) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          onLine.accept(line);
        }
      } catch (IOException e) {
        // the process was killed; what was read so far stands
      }
    }, "buildah-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
