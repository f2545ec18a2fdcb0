package io.zlayer.adapters.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.error.BuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The overlay sandbox against real bubblewrap, util-linux and overlayfs (needs root). */
@Timeout(120)
class RunSandboxIT {
  private static SandboxHost host;

  @TempDir Path temp;
  private Path base;
  private int steps;

  @BeforeAll
  static void detect(@TempDir Path probe) throws BuildException {
    RealParts.require("bwrap");
    RealParts.require("unshare");
    RealParts.requireRoot();
    host = SandboxHost.detect(probe);
    assertEquals(SandboxHost.PrivilegeMode.ROOT, host.mode());
    assertTrue(host.overlaySupported(), "overlay mounts work on this machine");
    assertTrue(host.stepSandbox() instanceof RunSandbox);
  }

  @BeforeEach
  void image() throws IOException {
    base = BusyboxImage.create(temp.resolve("base"));
  }

  /** One finished step: its result, output and change set. */
  record Step(RunResult result, List<OutputLine> lines, Path upper) {
    List<String> stdout() {
      return lines.stream().filter(l -> l.stream() == OutputLine.Stream.STDOUT)
          .map(OutputLine::text).toList();
    }

    List<String> stderr() {
      return lines.stream().filter(l -> l.stream() == OutputLine.Stream.STDERR)
          .map(OutputLine::text).toList();
    }

    String text() {
      return lines.stream().map(OutputLine::text).collect(Collectors.joining("\n"));
    }
  }

  private Step run(RunSpec spec) throws Exception {
    return run(spec, new CancellationSignal());
  }

  private Step run(RunSpec spec, CancellationSignal cancel) throws Exception {
    Path upper = Files.createDirectories(temp.resolve("upper-" + ++steps));
    return run(spec, cancel, List.of(base), upper);
  }

  private Step run(RunSpec spec, CancellationSignal cancel, List<Path> lowers, Path upper)
      throws Exception {
    List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
    RunResult result = new RunSandbox(host).run(lowers, upper, temp.resolve("work"), spec,
        lines::add, cancel);
    assertScratchClean();
    return new Step(result, List.copyOf(lines), upper);
  }

  private static RunSpec sh(String script) {
    return RunSpec.command("/bin/sh", "-c", script).withEnv(List.of("PATH=/bin"));
  }

  private void assertScratchClean() throws IOException {
    Path work = temp.resolve("work");
    if (Files.isDirectory(work)) {
      try (Stream<Path> entries = Files.list(work)) {
        assertEquals(List.of(), entries.toList(), "the sandbox removes its scratch files");
      }
    }
  }

  static List<String> tree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted()
          .toList();
    }
  }

  @Test
  void streamsTaggedOutputAndReturnsTheExitCode() throws Exception {
    Step step = run(sh("echo out; echo err >&2; echo out2; exit 3"));
    assertEquals(3, step.result().exitCode());
    assertFalse(step.result().succeeded());
    assertEquals(List.of("out", "out2"), step.stdout());
    assertEquals(List.of("err"), step.stderr());
    assertTrue(step.result().lastOutput().containsAll(List.of("out", "err", "out2")));

    Step ok = run(RunSpec.command("/bin/true"));
    assertEquals(0, ok.result().exitCode());
    assertTrue(ok.result().succeeded());
    assertEquals(List.of(), ok.lines());

    assertEquals(137, run(sh("kill -9 $$")).result().exitCode(), "128 + SIGKILL");
  }

  @Test
  void commandThatCannotStartIsABuildException() {
    BuildException e = assertThrows(BuildException.class,
        () -> run(RunSpec.command("/nope", "arg")));
    assertTrue(e.getMessage().startsWith("RUN could not start: "), e.getMessage());
    assertTrue(e.getMessage().contains("/nope"), e.getMessage());
  }

  @Test
  void environmentIsExactlyTheGivenOne() throws Exception {
    List<String> env = List.of("PATH=/bin", "FOO=bar baz", "EMPTY=", "EQ=a=b");
    Step step = run(RunSpec.command("/bin/env").withEnv(env).withWorkingDir("/home/app"));
    assertEquals(0, step.result().exitCode(), step.text());
    // bubblewrap always exports PWD (the working directory), as a shell would
    Set<String> expected = new TreeSet<>(env);
    expected.add("PWD=/home/app");
    assertEquals(expected, new TreeSet<>(step.stdout()));

    Step none = run(RunSpec.command("/bin/env"));
    assertEquals(List.of("PWD=/"), none.stdout(), "nothing is inherited from the JVM");

    Step asApp = run(RunSpec.command("/bin/env").withEnv(env).withWorkingDir("/home/app")
        .withUser(new RunUser(1000, 1000, List.of())));
    assertEquals(expected, new TreeSet<>(asApp.stdout()));
  }

  @Test
  void workingDirectoryAndHostname() throws Exception {
    Step step = run(sh("pwd; hostname").withWorkingDir("/home/app").withHostname("box1"));
    assertEquals(List.of("/home/app", "box1"), step.stdout());
    assertEquals(List.of("buildkitsandbox"), run(RunSpec.command("/bin/hostname")).stdout());
  }

  @Test
  void runsAsTheRequestedUserWithGroups() throws Exception {
    RunSpec spec = sh("id; id -u; id -g; grep -E '^(Uid|Gid|Groups|CapEff):' /proc/self/status;"
        + " touch /home/app/made-by-app; pwd")
        .withUser(new RunUser(1000, 1000, List.of(10, 50))).withWorkingDir("/home/app");
    Step step = run(spec);
    assertEquals(0, step.result().exitCode(), step.text());
    List<String> out = step.stdout();
    assertTrue(out.get(0).startsWith("uid=1000(app) gid=1000(app) groups="), out.get(0));
    assertTrue(out.get(0).contains("10(wheel)") && out.get(0).contains("50(staff)"), out.get(0));
    assertEquals("1000", out.get(1));
    assertEquals("1000", out.get(2));
    assertTrue(out.contains("Uid:\t1000\t1000\t1000\t1000"), out.toString());
    assertTrue(out.contains("Gid:\t1000\t1000\t1000\t1000"), out.toString());
    assertTrue(out.contains("Groups:\t10 50 "), out.toString());
    assertTrue(out.contains("CapEff:\t0000000000000000"), out.toString());
    assertEquals("/home/app", out.get(out.size() - 1));
    Path made = step.upper().resolve("home/app/made-by-app");
    assertEquals(1000, Files.getAttribute(made, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(1000, Files.getAttribute(made, "unix:gid", LinkOption.NOFOLLOW_LINKS));

    Step root = run(sh("grep -E '^(Uid|Gid|Groups):' /proc/self/status")
        .withUser(new RunUser(0, 50, List.of(10))));
    assertEquals(List.of("Uid:\t0\t0\t0\t0", "Gid:\t50\t50\t50\t50", "Groups:\t10 "),
        root.stdout());

    Step plain = run(sh("id").withUser(new RunUser(4242, 4242, List.of())));
    assertEquals(List.of("uid=4242 gid=4242"), plain.stdout(),
        "a uid without a passwd entry");
  }

  @Test
  void rootHoldsDockersDefaultCapabilitiesUnlessInsecure() throws Exception {
    Step sandbox = run(sh("grep CapEff /proc/self/status"));
    assertEquals(List.of("CapEff:\t00000000a80425fb"), sandbox.stdout());
    Step insecure = run(sh("grep CapEff /proc/self/status")
        .withSecurity(SecurityMode.INSECURE));
    String hostBounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).trim();
    assertEquals(List.of("CapEff:\t" + hostBounding), insecure.stdout());
  }

  @Test
  void fileChangesLandInTheUpperDirectory() throws Exception {
    Step step = run(sh("echo new > /new.txt && echo more >> /etc/motd && rm /data/old.txt"
        + " && rm -rf /data/dir && mkdir /data/dir && touch /data/dir/y"));
    assertEquals(0, step.result().exitCode(), step.text());
    Path upper = step.upper();
    assertEquals(List.of("data", "data/dir", "data/dir/y", "data/old.txt", "etc", "etc/motd",
        "new.txt"), tree(upper));
    assertEquals("new\n", Files.readString(upper.resolve("new.txt")));
    assertEquals("welcome\nmore\n", Files.readString(upper.resolve("etc/motd")));
    assertTrue(ImageTree.isWhiteout(upper.resolve("data/old.txt")), "deletion is a whiteout");
    assertTrue(ImageTree.isOpaque(upper.resolve("data/dir")), "re-created dir is opaque");
    assertFalse(ImageTree.isOpaque(upper.resolve("data")));
    assertEquals("welcome\n", Files.readString(base.resolve("etc/motd")), "lower unchanged");
  }

  @Test
  void mountPointsNeverReachTheChangeSet() throws Exception {
    Step step = run(sh("test -d /proc/self && test -c /dev/null && test -d /sys/kernel"
        + " && test -f /etc/hosts && test -f /etc/resolv.conf"));
    assertEquals(0, step.result().exitCode(), step.text());
    assertEquals(List.of(), tree(step.upper()), "no /proc, /dev, /sys, /etc stubs");
    assertFalse(Files.exists(base.resolve("proc")));
  }

  @Test
  void onlyTheImageIsVisible() throws Exception {
    Step step = run(sh("ls -a /; echo ---; ls -a /root; echo ---; ls -a /home; echo ---;"
        + " ls /work /usr 2>&1; echo ---; tr '\\0' ' ' < /proc/1/cmdline; echo;"
        + " ls /proc | grep -c '^[0-9]'"));
    List<String> out = step.stdout();
    List<List<String>> sections = new ArrayList<>();
    sections.add(new ArrayList<>());
    for (String line : out) {
      if (line.equals("---")) {
        sections.add(new ArrayList<>());
      } else {
        sections.get(sections.size() - 1).add(line);
      }
    }
    assertEquals(new TreeSet<>(List.of(".", "..", "bin", "data", "dev", "etc", "home", "proc",
        "root", "run", "sys", "tmp", "var")), new TreeSet<>(sections.get(0)));
    assertEquals(List.of(".", ".."), sections.get(1), "the image's empty /root, not the host's");
    assertEquals(List.of(".", "..", "app"), sections.get(2));
    assertEquals(List.of("ls: /work: No such file or directory",
        "ls: /usr: No such file or directory"), sections.get(3));
    String init = sections.get(4).get(0);
    assertTrue(init.startsWith(host.bwrap() + " --die-with-parent"),
        "pid 1 is the sandbox's init: " + init);
    assertTrue(Integer.parseInt(sections.get(4).get(1)) <= 4,
        "a fresh PID namespace: " + sections.get(4));
  }

  @Test
  void kernelFilesAreMaskedAsInDocker() throws Exception {
    Step step = run(sh("cat /proc/keys 2>&1 | wc -c; ls /sys/firmware | wc -l;"
        + " touch /sys/firmware/x 2>/dev/null && echo writable || echo read-only"));
    List<String> expected = new ArrayList<>();
    expected.add("0");
    expected.add("0");
    expected.add("read-only");
    if (!Files.exists(Path.of("/proc/keys"))) {
      expected.set(0, step.stdout().get(0));
    }
    assertEquals(expected, step.stdout());
  }

  @Test
  void networkNoneHasOnlyLoopbackAndDefaultSharesTheHost() throws Exception {
    String script = "sed -n '3,$p' /proc/net/dev | sed 's/:.*//; s/ //g'";
    Step none = run(sh(script).withNetwork(NetworkMode.NONE));
    assertEquals(List.of("lo"), none.stdout());

    Set<String> hostInterfaces = Files.readAllLines(Path.of("/proc/net/dev")).stream().skip(2)
        .map(l -> l.substring(0, l.indexOf(':')).trim()).collect(Collectors.toSet());
    assertTrue(hostInterfaces.size() > 1, "the host has more than loopback: " + hostInterfaces);
    Step shared = run(sh(script));
    assertEquals(hostInterfaces, Set.copyOf(shared.stdout()));
    Step hostMode = run(sh(script).withNetwork(NetworkMode.HOST));
    assertEquals(hostInterfaces, Set.copyOf(hostMode.stdout()));
  }

  @Test
  void networkFilesArePresentDuringTheStepOnly() throws Exception {
    Step step = run(sh("cat /etc/hosts; echo ---; grep -c nameserver /etc/resolv.conf;"
        + " echo x >> /etc/hosts || echo read-only")
        .withHostname("box").withExtraHosts(List.of(new HostEntry("db", "10.9.8.7"))));
    List<String> out = step.stdout();
    assertEquals(List.of("127.0.0.1\tlocalhost box", "::1\tlocalhost ip6-localhost ip6-loopback",
        "10.9.8.7\tdb", "---"), out.subList(0, 4));
    assertTrue(Integer.parseInt(out.get(4)) >= 1, out.toString());
    assertEquals("read-only", out.get(5));
    assertEquals(List.of(), tree(step.upper()), "no etc/hosts, etc/resolv.conf or etc copy-up");

    Step without = run(sh("test -e /etc/hosts && echo present || echo absent")
        .withNetworkFiles(false));
    assertEquals(List.of("absent"), without.stdout());
  }

  @Test
  void stubOverAnUpperWhiteoutGetsTheWhiteoutBack() throws Exception {
    Files.writeString(base.resolve("etc/hosts"), "image hosts\n");
    Path upper = Files.createDirectories(temp.resolve("prepared-upper"));
    Files.createDirectories(upper.resolve("etc"));
    RealParts.run(null, "mknod", upper.resolve("etc/hosts").toString(), "c", "0", "0");
    Step step = run(sh("grep -c localhost /etc/hosts"), new CancellationSignal(),
        List.of(base), upper);
    assertEquals(List.of("2"), step.stdout(), "the generated hosts file");
    assertTrue(ImageTree.isWhiteout(upper.resolve("etc/hosts")), "still deleted");
  }

  @Test
  void bindMountsAreReadOnlyUnlessAskedAndLeaveNoTrace() throws Exception {
    Path src = Files.createDirectories(temp.resolve("context"));
    Files.writeString(src.resolve("f"), "from host\n");
    Path file = Files.writeString(temp.resolve("single.txt"), "single\n");
    RunSpec readOnly = sh("cat /mnt/src/f; touch /mnt/src/new 2>/dev/null && echo wrote"
        + " || echo denied; cat /opt/single.txt")
        .withMounts(List.of(new RunMount.Bind(src, "/mnt/src", true),
            new RunMount.Bind(file, "/opt/single.txt", true)));
    Step ro = run(readOnly);
    assertEquals(List.of("from host", "denied", "single"), ro.stdout());
    assertEquals(List.of(), tree(ro.upper()));

    RunSpec writable = sh("echo changed > /mnt/src/f && cat /mnt/src/f && touch /mnt/src/new"
        + " && echo more >> /opt/single.txt && cat /opt/single.txt")
        .withMounts(List.of(new RunMount.Bind(src, "/mnt/src", false),
            new RunMount.Bind(file, "/opt/single.txt", false)));
    Step rw = run(writable);
    assertEquals(0, rw.result().exitCode(), rw.text());
    assertEquals(List.of("changed", "single", "more"), rw.stdout());
    assertEquals(List.of(), tree(rw.upper()));
    assertEquals(List.of("f"), tree(src), "writes to a bind are thrown away, as in BuildKit");
    assertEquals("from host\n", Files.readString(src.resolve("f")));
    assertEquals("single\n", Files.readString(file));
  }

  @Test
  void tmpfsMount() throws Exception {
    Step step = run(sh("echo x > /scratch/a && grep ' /scratch ' /proc/self/mountinfo"
        + " && stat -c %a /scratch")
        .withMounts(List.of(new RunMount.Tmpfs("/scratch", OptionalLong.of(1 << 20), 01777))));
    assertEquals(0, step.result().exitCode(), step.text());
    assertTrue(step.stdout().get(0).contains("tmpfs tmpfs rw,size=1024k"), step.text());
    assertEquals("1777", step.stdout().get(1));
    assertEquals(List.of(), tree(step.upper()));
  }

  @Test
  void cacheMountPersistsAcrossStepsAndStaysOutOfTheLayer() throws Exception {
    Path cache = temp.resolve("cache");
    RunMount mount = new RunMount.Cache(cache, "/root/.cache/tool", 1000, 1000, 0755);
    Step first = run(sh("echo 1 > /root/.cache/tool/count; ls -ln -d /root/.cache/tool")
        .withMounts(List.of(mount)));
    assertEquals(0, first.result().exitCode(), first.text());
    assertTrue(first.stdout().get(0).matches("drwxr-xr-x\\s+\\d+\\s+1000\\s+1000 .*"),
        first.text());
    Step second = run(sh("cat /root/.cache/tool/count; echo 2 >> /root/.cache/tool/count")
        .withMounts(List.of(mount)));
    assertEquals(List.of("1"), second.stdout());
    assertEquals("1\n2\n", Files.readString(cache.resolve("count")));
    assertEquals(List.of(), tree(first.upper()));
    assertEquals(List.of(), tree(second.upper()));
  }

  @Test
  void secretIsReadableDuringTheStepOnly() throws Exception {
    Path secret = Files.writeString(temp.resolve("secret"), "s3cret");
    // an absolute symlink on the way to a target resolves inside the image, not on the host
    Path varRun = Files.createSymbolicLink(base.resolve("var/run"), Path.of("/run"));
    try {
      secretMounts(secret);
    } finally {
      Files.delete(varRun);
    }
  }

  private void secretMounts(Path secret) throws Exception {
    RunSpec spec = sh("cat /run/secrets/id; echo; stat -c '%u %g %a' /run/secrets/id;"
        + " cat /var/run/secrets/token; echo; echo leak > /run/secrets/id 2>/dev/null"
        + " || echo read-only")
        .withMounts(List.of(new RunMount.Secret(secret, "/run/secrets/id", 1000, 50, 0400),
            new RunMount.Secret(secret, "/var/run/secrets/token", 0, 0, 0400)));
    Step step = run(spec);
    assertEquals(List.of("s3cret", "1000 50 400", "s3cret", "read-only"), step.stdout());
    assertEquals(List.of(), tree(step.upper()), "no run/secrets in the layer");
    assertEquals("s3cret", Files.readString(secret));

    Step asApp = run(sh("cat /run/secrets/id").withUser(new RunUser(1000, 1000, List.of()))
        .withMounts(List.of(new RunMount.Secret(secret, "/run/secrets/id", 1000, 50, 0400))));
    assertEquals(List.of("s3cret"), asApp.stdout(), asApp.text());
  }

  @Test
  void sshAgentSocketIsBound() throws Exception {
    Path socketDir = Files.createDirectories(temp.resolve("agent"));
    Path socket = socketDir.resolve("agent.sock");
    try (var server = java.nio.channels.ServerSocketChannel.open(
        java.net.StandardProtocolFamily.UNIX)) {
      server.bind(java.net.UnixDomainSocketAddress.of(socket));
      Step step = run(sh("test -S /run/buildkit/ssh_agent.0 && echo socket")
          .withMounts(List.of(new RunMount.Ssh(socket, "/run/buildkit/ssh_agent.0"))));
      assertEquals(List.of("socket"), step.stdout());
      assertEquals(List.of(), tree(step.upper()));
    }
  }

  @Test
  void tenThousandLinesStreamInOrder() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    RunResult result = new RunSandbox(host).run(List.of(base),
        Files.createDirectories(temp.resolve("upper-seq")), temp.resolve("work"),
        RunSpec.command("/bin/seq", "1", "10000"), line -> seen.add(line.text()),
        new CancellationSignal());
    assertEquals(0, result.exitCode());
    assertEquals(10_000, seen.size());
    for (int i = 0; i < 10_000; i++) {
      assertEquals(Integer.toString(i + 1), seen.get(i));
    }
    assertEquals("10000", result.lastOutput().get(result.lastOutput().size() - 1));
  }

  @Test
  void cancellationKillsTheWholeTreePromptly() throws Exception {
    String mountsBefore = Files.readString(Path.of("/proc/self/mountinfo"));
    String marker = "1000.4242";
    CancellationSignal cancel = new CancellationSignal();
    CountDownLatch started = new CountDownLatch(1);
    Path upper = Files.createDirectories(temp.resolve("upper-cancel"));
    RunSpec spec = sh("sleep " + marker + " & sleep " + marker + " & echo started; wait");
    CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> {
      try {
        return new RunSandbox(host).run(List.of(base), upper, temp.resolve("work"), spec,
            line -> {
              if (line.text().equals("started")) {
                started.countDown();
              }
            }, cancel);
      } catch (BuildException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertTrue(started.await(30, TimeUnit.SECONDS), "the step started");
    awaitProcesses(marker, 2);
    long cancelledAt = System.nanoTime();
    cancel.cancel();
    RunResult result = running.get(20, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - cancelledAt);
    assertTrue(result.cancelled());
    assertEquals(137, result.exitCode());
    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "prompt: " + took);
    assertEquals(List.of(), processesWith(marker), "no sleep survives");
    assertEquals(mountsBefore, Files.readString(Path.of("/proc/self/mountinfo")));
    assertEquals(List.of(), tree(upper), "stubs removed after a cancel too");
    assertScratchClean();
  }

  @Test
  void interruptionKillsTheTreeAndPropagates() throws Exception {
    String marker = "1000.4343";
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Path upper = Files.createDirectories(temp.resolve("upper-interrupt"));
    Thread runner = new Thread(() -> {
      try {
        new RunSandbox(host).run(List.of(base), upper, temp.resolve("work"),
            sh("echo started; exec sleep " + marker), line -> started.countDown(),
            new CancellationSignal());
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    runner.start();
    assertTrue(started.await(30, TimeUnit.SECONDS));
    awaitProcesses(marker, 1);
    runner.interrupt();
    runner.join(20_000);
    assertFalse(runner.isAlive());
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    assertEquals(List.of(), processesWith(marker));
    assertEquals(List.of(), tree(upper));
  }

  @Test
  void scratchImageWithoutLowerLayers() throws Exception {
    Path upper = Files.createDirectories(temp.resolve("scratch-upper"));
    Path busybox = base.resolve("bin/busybox");
    RunSpec spec = RunSpec.command("/tools/busybox", "sh", "-c",
        "/tools/busybox mkdir /out && /tools/busybox echo hi > /out/f")
        .withMounts(List.of(new RunMount.Bind(busybox, "/tools/busybox", true)));
    Step step = run(spec, new CancellationSignal(), List.of(), upper);
    assertEquals(0, step.result().exitCode(), step.text());
    assertEquals(List.of("out", "out/f"), tree(upper), "only the step's own change");

    BuildException e = assertThrows(BuildException.class, () -> run(RunSpec.command("/bin/true"),
        new CancellationSignal(), List.of(), upper));
    assertTrue(e.getMessage().contains("/bin/true"), e.getMessage());
    assertEquals(List.of("out", "out/f"), tree(upper));
  }

  private static void awaitProcesses(String marker, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (processesWith(marker).size() < count) {
      assertTrue(System.nanoTime() < deadline, "sleep " + marker + " did not start");
      Thread.sleep(20);
    }
    assertEquals(count, processesWith(marker).size());
  }

  private static List<Long> processesWith(String marker) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")),
              StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmdline.startsWith("sleep " + marker)) {
            pids.add(Long.parseLong(proc.getFileName().toString()));
          }
        } catch (IOException e) {
          // the process ended while we looked
        }
      }
    }
    return pids;
  }
}
