package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import io.zlayer.adapters.cli.progress.Terminal;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.RegistryException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZlayerCliTest {
  private final CliHarness h = new CliHarness();

  @TempDir
  Path dir;

  @Test
  void withoutArgumentsPrintsUsage() {
    CliHarness.Result r = h.run();
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("Usage: zlayer [-hqV] [--debug] [COMMAND]\n"), r.out());
    assertTrue(r.out().contains("\nExamples:\n  zlayer pull alpine\n"), r.out());
  }

  @Test
  void everyCommandHasHelpWithExamples() {
    for (String command : new String[] {"pull", "push", "tag", "images", "inspect", "rmi",
        "prune", "completion", "version", "dockerfile"}) {
      CliHarness.Result r = h.run(command, "--help");
      assertEquals(0, r.code(), command);
      assertTrue(r.out().startsWith("Usage: zlayer " + command), r.out());
      assertTrue(r.out().contains("\nExample"), command + ":\n" + r.out());
      assertTrue(r.out().contains("  zlayer " + command), command + ":\n" + r.out());
    }
    assertTrue(h.run("dockerfile", "ast", "--help").out().contains("Example:"));
  }

  @Test
  void versionCommandAndFlag() {
    assertTrue(h.run("version").out().startsWith("zlayer " + VersionCommand.VERSION + "\njava "));
    assertTrue(h.run("--version").out().startsWith("zlayer " + VersionCommand.VERSION + "\n"));
  }

  @Test
  void unknownCommandWithSuggestion() {
    CliHarness.Result r = h.run("imags");
    assertEquals(1, r.code());
    assertEquals("error: unknown command \"imags\" for \"zlayer\"\n"
        + "Did you mean: images?\n"
        + "Run 'zlayer --help' for usage.\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void unknownFlagWithSuggestion() {
    CliHarness.Result r = h.run("images", "--no-trunk");
    assertEquals(1, r.code());
    assertEquals("error: unknown flag: --no-trunk\n"
        + "Did you mean: --no-trunc?\n"
        + "Run 'zlayer images --help' for usage.\n", r.err());
  }

  @Test
  void missingArgument() {
    CliHarness.Result r = h.run("push");
    assertEquals(1, r.code());
    assertEquals("error: Missing required parameter: 'SOURCE'\n"
        + "Run 'zlayer push --help' for usage.\n", r.err());
  }

  @Test
  void userErrorsAreOneLineWithAHintAndNoStackTrace() throws Exception {
    when(h.pull.pull(any())).thenThrow(new RegistryException(RegistryException.Kind.NOT_FOUND,
        "docker.io/library/nope:latest not found", "check the name and tag", null));
    CliHarness.Result r = h.run("pull", "--progress=quiet", "nope");
    assertEquals(1, r.code());
    assertEquals("error: docker.io/library/nope:latest not found\n"
        + "hint: check the name and tag\n", r.err());
  }

  @Test
  void debugAddsTheStackTrace() throws Exception {
    when(h.pull.pull(any())).thenThrow(new RegistryException(RegistryException.Kind.NOT_FOUND,
        "docker.io/library/nope:latest not found", "check the name and tag", null));
    CliHarness.Result r = h.run("--debug", "pull", "--progress=quiet", "nope");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("io.zlayer.domain.error.RegistryException: docker.io/library/"
        + "nope:latest not found\n\tat "), r.err());
    assertTrue(r.err().endsWith("error: docker.io/library/nope:latest not found\n"
        + "hint: check the name and tag\n"), r.err());
  }

  @Test
  void debugIsNotRememberedBetweenRuns() throws Exception {
    when(h.pull.pull(any())).thenThrow(new IllegalStateException("boom"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ZlayerCli cli = h.cli(out, err);
    cli.execute("--debug", "pull", "x");
    err.getBuffer().setLength(0);
    assertEquals(1, cli.execute("pull", "--progress=quiet", "x"));
    assertEquals("error: internal error: java.lang.IllegalStateException: boom (run with --debug"
        + " for details)\n", err.toString());
  }

  @Test
  void dockerfileAstFromAFileAndFromStdin() throws Exception {
    Path file = dir.resolve("Dockerfile");
    Files.writeString(file, "FROM alpine\n");
    when(h.dockerfile.astDump(aryEq("FROM alpine\n"), eq("Dockerfile")))
        .thenReturn("(from \"alpine\")");
    assertEquals("(from \"alpine\")\n", h.run("dockerfile", "ast", file.toString()).out());
    h.stdin = "FROM alpine\n";
    assertEquals("(from \"alpine\")\n", h.run("dockerfile", "ast", "-").out());
    when(h.dockerfile.astDump(aryEq("FORM x\n"), eq("Dockerfile")))
        .thenThrow(new DockerfileException("Dockerfile", 1, "unknown instruction: FORM"));
    h.stdin = "FORM x\n";
    CliHarness.Result r = h.run("dockerfile", "ast", "-");
    assertEquals("error: Dockerfile:1: unknown instruction: FORM\n", r.err());
    assertEquals(1, r.code());
    r = h.run("dockerfile", "ast", dir.resolve("missing").toString());
    assertEquals("error: Dockerfile not found: " + dir.resolve("missing") + "\n", r.err());
  }

  private static byte[] aryEq(String text) {
    return org.mockito.AdditionalMatchers.aryEq(text.getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------------------ interruption

  @Test
  void anInterruptedCommandExitsWith130() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    when(h.pull.pull(any())).thenAnswer(inv -> {
      started.countDown();
      new CountDownLatch(1).await();
      return null;
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ZlayerCli cli = h.cli(out, err);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
        () -> cli.execute("pull", "--progress=plain", "alpine"));
    assertTrue(started.await(10, TimeUnit.SECONDS));
    assertTrue(cli.interrupt(Duration.ofSeconds(10)));
    assertEquals(130, code.get(10, TimeUnit.SECONDS));
    assertEquals("error: interrupted\n", err.toString());
  }

  @Test
  void aCommandThatTurnsTheInterruptIntoAnotherErrorStillExitsWith130() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    when(h.pull.pull(any())).thenAnswer(inv -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        throw new RegistryException(RegistryException.Kind.UNREACHABLE, "transfer aborted");
      }
      return null;
    });
    StringWriter err = new StringWriter();
    ZlayerCli cli = h.cli(new StringWriter(), err);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
        () -> cli.execute("pull", "--progress=plain", "alpine"));
    assertTrue(started.await(10, TimeUnit.SECONDS));
    cli.interrupt(Duration.ofSeconds(10));
    assertEquals(130, code.get(10, TimeUnit.SECONDS));
    assertEquals("error: interrupted\n", err.toString());
  }

  @Test
  void aStuckCommandIsCleanedUpByTheHookAfterTheGracePeriod() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean release = new AtomicBoolean();
    when(h.pull.pull(any())).thenAnswer(inv -> {
      started.countDown();
      while (!release.get()) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException ignored) {
          // a command stuck in uninterruptible I/O
        }
      }
      return null;
    });
    h.terminal = Terminal.fixed(true, true, 80, 24);
    StringWriter err = new StringWriter();
    ZlayerCli cli = h.cli(new StringWriter(), err);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
        () -> cli.execute("pull", "--progress=tty", "alpine"));
    assertTrue(started.await(10, TimeUnit.SECONDS));
    assertFalse(cli.interrupt(Duration.ofMillis(200)));
    // the progress display was registered for cleanup: its final frame restored the cursor
    String afterHook = err.toString();
    assertTrue(afterHook.contains("[+] Pulling alpine:latest"), afterHook);
    assertTrue(afterHook.contains("\u001b[?25h"), afterHook);
    assertTrue(afterHook.endsWith("error: interrupted; the command did not stop within 0s,"
        + " cleaned up and gave up waiting\n"), afterHook);
    release.set(true);
    assertEquals(130, code.get(10, TimeUnit.SECONDS));
  }

  @Test
  void interruptWithoutARunningCommandReturnsAtOnce() {
    ZlayerCli cli = h.cli(new StringWriter(), new StringWriter());
    assertTrue(cli.interrupt(Duration.ofSeconds(1)));
    Thread hook = cli.shutdownHook();
    assertEquals("zlayer-shutdown", hook.getName());
    assertEquals(Thread.State.NEW, hook.getState());
    hook.run();
  }

  @Test
  void oneCommandAtATime() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    when(h.pull.pull(any())).thenAnswer(inv -> {
      started.countDown();
      release.await();
      return null;
    });
    ZlayerCli cli = h.cli(new StringWriter(), new StringWriter());
    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
        () -> cli.execute("pull", "--progress=quiet", "alpine"));
    assertTrue(started.await(10, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, () -> cli.execute("version"));
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    assertEquals(0, cli.execute("version"));
  }

  @Test
  void theInterruptFlagDoesNotLeakIntoTheNextCommand() throws Exception {
    when(h.pull.pull(any())).thenAnswer(inv -> {
      Thread.currentThread().interrupt();
      throw new InterruptedException();
    });
    ZlayerCli cli = h.cli(new StringWriter(), new StringWriter());
    assertEquals(130, cli.execute("pull", "--progress=quiet", "alpine"));
    assertFalse(Thread.currentThread().isInterrupted());
    assertEquals(0, cli.execute("version"));
  }
}
