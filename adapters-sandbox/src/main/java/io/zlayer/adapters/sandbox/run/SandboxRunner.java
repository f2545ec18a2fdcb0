package io.zlayer.adapters.sandbox.run;

import io.zlayer.adapters.sandbox.run.SandboxHost.PrivilegeMode;
import io.zlayer.adapters.sandbox.run.SandboxInvocation.OverlayMount;
import io.zlayer.adapters.sandbox.run.SandboxInvocation.Ownership;
import io.zlayer.adapters.sandbox.run.SandboxInvocation.PlannedMount;
import io.zlayer.adapters.sandbox.run.SandboxInvocation.Source;
import io.zlayer.domain.error.BuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The work shared by both sandboxes: prepare, run, read the status, clean up. */
final class SandboxRunner {
  private static final Pattern EXIT_CODE = Pattern.compile("\"exit-code\"\\s*:\\s*(-?\\d+)");
  private static final int RESULT_TAIL = 10;
  private static final int KILLED = 137;

  private final SandboxHost host;

  SandboxRunner(SandboxHost host) {
    this.host = host;
  }

  RunResult run(StepRoot root, RunSpec spec, Consumer<OutputLine> output,
      CancellationSignal cancel) throws BuildException, InterruptedException {
    long started = System.nanoTime();
    checkRoot(root);
    Path scratch;
    try {
      Files.createDirectories(root.scratchDir());
      scratch = Files.createTempDirectory(root.scratchDir(), "run-");
    } catch (IOException e) {
      throw new BuildException("cannot create the RUN scratch directory in "
          + root.scratchDir() + ": " + e.getMessage(), e);
    }
    Path changeDir = root instanceof StepRoot.Overlay o ? o.upperDir()
        : ((StepRoot.FlatRootfs) root).rootfs();
    List<MountStubs> stubs = new ArrayList<>(1);
    Throwable primary = null;
    try {
      return runIn(root, changeDir, scratch, spec, output, cancel, stubs, started);
    } catch (IOException e) {
      BuildException failure =
          new BuildException("cannot prepare the RUN sandbox: " + e.getMessage(), e);
      primary = failure;
      throw failure;
    } catch (BuildException | InterruptedException | RuntimeException | Error e) {
      primary = e;
      throw e;
    } finally {
      try {
        for (MountStubs planned : stubs) {
          planned.clean(changeDir, SandboxRunner::makeWhiteout);
        }
      } catch (IOException e) {
        BuildException cleanup = new BuildException(
            "cannot remove the RUN step's mount points from " + changeDir + ": " + e.getMessage(),
            e);
        if (primary == null) {
          throw cleanup;
        }
        primary.addSuppressed(cleanup);
      } finally {
        ScratchFiles.deleteQuietly(scratch);
      }
    }
  }

  private RunResult runIn(StepRoot root, Path changeDir, Path scratch, RunSpec spec,
      Consumer<OutputLine> output, CancellationSignal cancel, List<MountStubs> stubs,
      long started) throws IOException, BuildException, InterruptedException {
    ImageTree tree = root instanceof StepRoot.Overlay o
        ? ImageTree.overlay(o.upperDir(), o.lowerDirsTopFirst())
        : ImageTree.flat(changeDir);
    List<PlannedMount> mounts = new ArrayList<>();
    Optional<Path> namespaceTmpfs = prepareMounts(spec, tree, scratch, mounts);
    List<String> targets = new ArrayList<>(List.of("/proc", "/dev", "/sys"));
    mounts.forEach(m -> targets.add(m.target()));
    Optional<ImageTree> lowerLayers = root instanceof StepRoot.Overlay o
        ? Optional.of(ImageTree.layers(o.lowerDirsTopFirst()))
        : Optional.empty();
    MountStubs planned = MountStubs.plan(tree, changeDir, targets, lowerLayers);
    stubs.add(planned);

    Path rootSource = changeDir;
    Optional<OverlayMount> overlay = Optional.empty();
    if (root instanceof StepRoot.Overlay o) {
      rootSource = Files.createDirectory(scratch.resolve("merged"));
      List<Path> lowers = o.lowerDirsTopFirst();
      if (lowers.isEmpty()) {
        lowers = List.of(Files.createDirectory(scratch.resolve("empty")));
      }
      OverlayMount mount = SandboxInvocation.overlayMount(lowers, o.upperDir(),
          Files.createDirectory(scratch.resolve("work")), rootSource, scratch.resolve("l"));
      if (!mount.links().isEmpty()) {
        Files.createDirectory(scratch.resolve("l"));
        for (var link : mount.links().entrySet()) {
          Files.createSymbolicLink(link.getKey(), link.getValue());
        }
      }
      overlay = Optional.of(mount);
    }
    Path statusFile = scratch.resolve("status");
    SandboxInvocation invocation = new SandboxInvocation(host, spec, rootSource, overlay,
        namespaceTmpfs, statusFile, mounts, Set.copyOf(planned.paths()));
    if (cancel.isCancelled()) {
      return new RunResult(KILLED, true, Duration.ofNanos(System.nanoTime() - started),
          List.of());
    }
    SandboxProcess.Outcome outcome = SandboxProcess.run(invocation.command(),
        invocation.hiddenArguments(), output, cancel);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    List<String> tail = outcome.tail().subList(
        Math.max(0, outcome.tail().size() - RESULT_TAIL), outcome.tail().size());
    if (outcome.cancelled()) {
      return new RunResult(KILLED, true, elapsed, tail);
    }
    Optional<Integer> exitCode = exitCode(statusFile);
    if (exitCode.isEmpty()) {
      throw startFailure(outcome);
    }
    return new RunResult(exitCode.get(), false, elapsed, tail);
  }

  private static void checkRoot(StepRoot root) throws BuildException {
    List<Path> dirs = new ArrayList<>();
    if (root instanceof StepRoot.Overlay o) {
      dirs.addAll(o.lowerDirsTopFirst());
      dirs.add(o.upperDir());
    } else {
      dirs.add(((StepRoot.FlatRootfs) root).rootfs());
    }
    for (Path dir : dirs) {
      if (!dir.isAbsolute() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new BuildException("RUN root directory " + dir + " does not exist");
      }
    }
  }

  /** Resolves targets inside the image and prepares each mount's host side. */
  private Optional<Path> prepareMounts(RunSpec spec, ImageTree tree, Path scratch,
      List<PlannedMount> mounts) throws IOException, BuildException {
    if (spec.networkFiles()) {
      Path hosts = scratch.resolve("hosts");
      Files.writeString(hosts, NetworkFiles.hosts(spec.hostname(), spec.extraHosts()));
      String hostResolv = readOrEmpty(Path.of(NetworkFiles.HOST_RESOLV_CONF));
      String source = readOrEmpty(Path.of(NetworkFiles.sourcePath(spec.network(), hostResolv)));
      Path resolv = scratch.resolve("resolv.conf");
      Files.writeString(resolv, NetworkFiles.resolvConf(spec.network(), source));
      for (Path file : List.of(hosts, resolv)) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
      mounts.add(new PlannedMount(tree.resolve("/etc/hosts"),
          new Source.HostPath(hosts, true)));
      mounts.add(new PlannedMount(tree.resolve("/etc/resolv.conf"),
          new Source.HostPath(resolv, true)));
    }
    Path namespaceTmpfs = scratch.resolve("ns");
    boolean needsTmpfs = false;
    int index = 0;
    for (RunMount mount : spec.mounts()) {
      index++;
      String target = tree.resolve(mount.target());
      Source source;
      if (mount instanceof RunMount.Bind bind) {
        Path from = bind.hostPath();
        if (!Files.exists(from)) {
          throw new BuildException("bind mount source " + from + " does not exist");
        }
        if (bind.readOnly()) {
          source = new Source.HostPath(from, true);
        } else if (Files.isDirectory(from)) {
          checkOverlayPath(from);
          Path dir = Files.createDirectory(scratch.resolve("bind-" + index));
          source = new Source.ThrowawayOverlay(from,
              Files.createDirectory(dir.resolve("upper")),
              Files.createDirectory(dir.resolve("work")),
              Files.createDirectory(dir.resolve("merged")));
        } else {
          needsTmpfs = true;
          source = new Source.TmpfsCopy(from, namespaceTmpfs.resolve("bind-" + index), false,
              Optional.empty());
        }
      } else if (mount instanceof RunMount.Tmpfs tmpfs) {
        source = new Source.Tmpfs(tmpfs.sizeBytes(), tmpfs.mode());
      } else if (mount instanceof RunMount.Cache cache) {
        prepareCache(cache);
        source = new Source.HostPath(cache.hostDir(), false);
      } else if (mount instanceof RunMount.Secret secret) {
        if (!Files.isRegularFile(secret.hostFile())) {
          throw new BuildException("secret file " + secret.hostFile() + " does not exist");
        }
        if (host.mode() == PrivilegeMode.ROOTLESS && (secret.uid() != 0 || secret.gid() != 0)) {
          throw new BuildException("secret mount at " + secret.target() + ": uid/gid "
              + secret.uid() + ":" + secret.gid() + " needs the root sandbox (rootless maps "
              + "only root)");
        }
        needsTmpfs = true;
        source = new Source.TmpfsCopy(secret.hostFile(),
            namespaceTmpfs.resolve("secret-" + index), true,
            Optional.of(new Ownership(secret.uid(), secret.gid(), secret.mode())));
      } else if (mount instanceof RunMount.Ssh ssh) {
        if (!Files.exists(ssh.agentSocket())) {
          throw new BuildException("ssh agent socket " + ssh.agentSocket() + " does not exist");
        }
        source = new Source.HostPath(ssh.agentSocket(), false);
      } else {
        throw new IllegalStateException("unknown mount " + mount);
      }
      mounts.add(new PlannedMount(target, source));
    }
    if (!needsTmpfs) {
      return Optional.empty();
    }
    Files.createDirectory(namespaceTmpfs);
    return Optional.of(namespaceTmpfs);
  }

  private void prepareCache(RunMount.Cache cache) throws IOException {
    Path dir = cache.hostDir();
    Files.createDirectories(dir);
    boolean empty;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      empty = !entries.iterator().hasNext();
    }
    if (!empty) {
      return;
    }
    if (host.mode() == PrivilegeMode.ROOT) {
      Files.setAttribute(dir, "unix:uid", cache.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:gid", cache.gid(), LinkOption.NOFOLLOW_LINKS);
    }
    Files.setAttribute(dir, "unix:mode", cache.mode(), LinkOption.NOFOLLOW_LINKS);
  }

  private static void checkOverlayPath(Path path) throws BuildException {
    String text = path.toString();
    if (text.contains(",") || text.contains(":") || text.contains("\\")) {
      throw new BuildException("cannot mount " + text
          + " writable: overlay paths may not contain ',', ':' or '\\'");
    }
  }

  private static String readOrEmpty(Path path) throws IOException {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    }
  }

  private static Optional<Integer> exitCode(Path statusFile) throws IOException {
    if (!Files.exists(statusFile)) {
      return Optional.empty();
    }
    Matcher matcher = EXIT_CODE.matcher(Files.readString(statusFile));
    return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1)))
        : Optional.empty();
  }

  private static BuildException startFailure(SandboxProcess.Outcome outcome) {
    List<String> lines = outcome.stderrTail().stream().filter(l -> !l.isBlank()).toList();
    String reason = lines.isEmpty() ? "the sandbox exited with status " + outcome.processExit()
        : lines.get(lines.size() - 1);
    return new BuildException("RUN could not start: " + reason, -1, lines, null, null);
  }

  private static void makeWhiteout(Path path) throws IOException {
    ProcessBuilder builder = SandboxHost.quietProcess(
        List.of("mknod", path.toString(), "c", "0", "0"));
    try {
      Process process = builder.start();
      String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("mknod " + path + " failed: " + text.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while restoring the whiteout " + path, e);
    }
  }
}
