package io.zlayer.adapters.sandbox.run;

import io.zlayer.domain.error.BuildException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One sandbox process tree: started, its two output streams split into lines and handed to the
 * consumer as they come, and, on cancellation or interruption, killed as a whole and waited for.
 */
final class SandboxProcess {
  private static final int MAX_LINE_BYTES = 64 * 1024;
  private static final int TAIL_LINES = 20;
  private static final Duration KILL_WAIT = Duration.ofSeconds(20);

  private final Process process;
  private final Consumer<OutputLine> output;
  private final Object outputLock = new Object();
  private final Deque<String> tail = new ArrayDeque<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final List<ProcessHandle> killed = new ArrayList<>();
  private RuntimeException consumerFailure;
  private boolean cancelled;

  /** What the process tree left behind. */
  record Outcome(boolean cancelled, int processExit, List<String> tail,
      List<String> stderrTail) {}

  private SandboxProcess(Process process, Consumer<OutputLine> output) {
    this.process = process;
    this.output = output;
  }

  /**
   * @param stdin written to the process's stdin, which is then closed; it carries what must not
   *     appear on a command line (see {@link SandboxInvocation#hiddenArguments()})
   */
  static Outcome run(List<String> command, byte[] stdin, Consumer<OutputLine> output,
      CancellationSignal cancel) throws BuildException, InterruptedException {
    ProcessBuilder builder = SandboxHost.quietProcess(command).redirectErrorStream(false)
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new BuildException("cannot start the sandbox: " + e.getMessage(), e);
    }
    return new SandboxProcess(process, output).await(stdin, cancel);
  }

  private Outcome await(byte[] stdin, CancellationSignal cancel)
      throws BuildException, InterruptedException {
    Thread stdout = reader(process.getInputStream(), OutputLine.Stream.STDOUT);
    Thread stderr = reader(process.getErrorStream(), OutputLine.Stream.STDERR);
    feed(process.getOutputStream(), stdin);
    try (CancellationSignal.Registration registration = cancel.onCancel(this::cancel)) {
      process.waitFor();
    } catch (InterruptedException e) {
      killTree();
      try {
        awaitKilled();
      } catch (BuildException survivors) {
        e.addSuppressed(survivors);
      }
      joinQuietly(stdout);
      joinQuietly(stderr);
      Thread.interrupted();
      throw e;
    }
    boolean wasCancelled;
    synchronized (this) {
      wasCancelled = cancelled;
    }
    if (wasCancelled) {
      awaitKilled();
    }
    stdout.join(KILL_WAIT.toMillis());
    stderr.join(KILL_WAIT.toMillis());
    synchronized (outputLock) {
      if (consumerFailure != null) {
        throw consumerFailure;
      }
      return new Outcome(wasCancelled, process.exitValue(), List.copyOf(tail),
          List.copyOf(stderrTail));
    }
  }

  private void cancel() {
    synchronized (this) {
      cancelled = true;
    }
    killTree();
  }

  /**
   * SIGKILLs the process and every descendant we can see. bubblewrap's {@code
   * --die-with-parent} and the PID namespace take down anything started in between: when the
   * namespace's init dies the kernel kills the rest and reaps them before init's exit completes.
   */
  private synchronized void killTree() {
    ProcessHandle root = process.toHandle();
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    for (ProcessHandle handle : tree) {
      handle.destroyForcibly();
    }
    killed.addAll(tree);
  }

  private void awaitKilled() throws BuildException {
    List<ProcessHandle> handles;
    synchronized (this) {
      handles = List.copyOf(killed);
    }
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    List<Long> survivors = new ArrayList<>();
    boolean interrupted = false;
    for (ProcessHandle handle : handles) {
      while (true) {
        long remaining = Math.max(1, deadline - System.nanoTime());
        try {
          handle.onExit().get(remaining, TimeUnit.NANOSECONDS);
          break;
        } catch (TimeoutException | ExecutionException e) {
          if (handle.isAlive()) {
            survivors.add(handle.pid());
          }
          break;
        } catch (InterruptedException e) {
          // Ctrl-C both cancels and interrupts the build: a killed process that is not reaped
          // yet is no survivor, so wait on (the flag is cleared now) and interrupt again after.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!survivors.isEmpty()) {
      throw new BuildException("the RUN step's processes " + survivors
          + " are still running after SIGKILL");
    }
  }

  /** Writes in its own thread: a process that fails before reading must not block us. */
  private static void feed(OutputStream stream, byte[] data) {
    Thread thread = new Thread(() -> {
      try (stream) {
        stream.write(data);
      } catch (IOException e) {
        // the process ended before reading; its exit status tells what went wrong
      }
    }, "zlayer-run-stdin");
    thread.setDaemon(true);
    thread.start();
  }

  private Thread reader(InputStream stream, OutputLine.Stream kind) {
    Thread thread = new Thread(() -> pump(stream, kind), "zlayer-run-" + kind.name()
        .toLowerCase(java.util.Locale.ROOT));
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void pump(InputStream stream, OutputLine.Stream kind) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (stream) {
      int read;
      while ((read = stream.read(buffer)) >= 0) {
        for (int i = 0; i < read; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            emit(kind, line);
          } else {
            line.write(b);
            if (line.size() >= MAX_LINE_BYTES) {
              emit(kind, line);
            }
          }
        }
      }
    } catch (IOException e) {
      // the process is gone; what was read is delivered below
    }
    if (line.size() > 0) {
      emit(kind, line);
    }
  }

  private void emit(OutputLine.Stream kind, ByteArrayOutputStream bytes) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    bytes.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    synchronized (outputLock) {
      remember(tail, text);
      if (kind == OutputLine.Stream.STDERR) {
        remember(stderrTail, text);
      }
      if (consumerFailure == null) {
        try {
          output.accept(new OutputLine(kind, text));
        } catch (RuntimeException e) {
          consumerFailure = e;
        }
      }
    }
  }

  private static void remember(Deque<String> lines, String text) {
    lines.addLast(text);
    if (lines.size() > TAIL_LINES) {
      lines.removeFirst();
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(KILL_WAIT.toMillis());
    } catch (InterruptedException e) {
      // we are already on the way out with an InterruptedException
    }
  }
}
