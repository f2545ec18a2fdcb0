package io.zlayer.adapters.sandbox.run;

import io.zlayer.domain.error.BuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What this machine offers the sandbox, detected once at startup: the programs (bubblewrap and
 * util-linux's {@code unshare} and {@code setpriv}), whether we run as root or rootless, and
 * whether an overlay of layer directories can be mounted. Keep one instance per process.
 *
 * <ul>
 *   <li>{@link PrivilegeMode#ROOT}: the wrapper is {@code unshare --mount}; inside the step root
 *       is real root with Docker's capability set, and other users are real host ids.
 *   <li>{@link PrivilegeMode#ROOTLESS}: the wrapper is {@code unshare --user --map-root-user
 *       --mount}, so only the invoking user exists (as root); a non-root {@code USER} runs through
 *       bubblewrap's own user namespace ({@code --unshare-user --uid --gid}) and its files belong
 *       to the invoking user; supplementary groups cannot be set.
 * </ul>
 */
public final class SandboxHost {
  /** How the sandbox gets its privileges. */
  public enum PrivilegeMode {
    ROOT,
    ROOTLESS
  }

  private static final String INSTALL_BWRAP = "install it: apt-get install bubblewrap";
  private static final String INSTALL_UTIL_LINUX = "install it: apt-get install util-linux";
  private static final List<String> SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin",
      "/usr/sbin", "/usr/bin", "/sbin", "/bin");
  // containerd's default masked paths, which BuildKit uses; only those this kernel has are masked.
  private static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi",
      "/proc/kcore", "/proc/keys", "/proc/latency_stats",
      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
      "/sys/firmware", "/sys/devices/virtual/powercap");

  private final Path bwrap;
  private final Path unshare;
  private final Path setpriv;
  private final Path env;
  private final PrivilegeMode mode;
  private final boolean overlaySupported;
  private final List<HostRootEntry> hostRoot;
  private final List<String> maskedFiles;
  private final List<String> maskedDirectories;

  /** A top-level host directory the user-switching helper needs (its programs and libraries). */
  record HostRootEntry(String name, Optional<String> symlinkTarget) {}

  SandboxHost(Path bwrap, Path unshare, Path setpriv, Path env, PrivilegeMode mode,
      boolean overlaySupported, List<HostRootEntry> hostRoot, List<String> maskedFiles,
      List<String> maskedDirectories) {
    this.bwrap = bwrap;
    this.unshare = unshare;
    this.setpriv = setpriv;
    this.env = env;
    this.mode = mode;
    this.overlaySupported = overlaySupported;
    this.hostRoot = List.copyOf(hostRoot);
    this.maskedFiles = List.copyOf(maskedFiles);
    this.maskedDirectories = List.copyOf(maskedDirectories);
  }

  /**
   * Detects the programs and the privilege mode (root when the effective uid is 0), and probes
   * an overlay mount inside {@code probeDir}, which should lie on the filesystem that will hold
   * the layer directories.
   *
   * @throws BuildException with an install hint when bubblewrap or util-linux is missing, or
   *     when no sandbox can be created here at all
   */
  public static SandboxHost detect(Path probeDir) throws BuildException {
    return detect(probeDir, effectiveUid() == 0 ? PrivilegeMode.ROOT : PrivilegeMode.ROOTLESS);
  }

  /** As {@link #detect(Path)} with a chosen mode (root may also run rootless). */
  public static SandboxHost detect(Path probeDir, PrivilegeMode mode) throws BuildException {
    return detect(probeDir, mode, SEARCH_PATH);
  }

  static SandboxHost detect(Path probeDir, PrivilegeMode mode, List<String> searchPath)
      throws BuildException {
    Path bwrap = find("bwrap", searchPath).orElseThrow(() -> new BuildException(
        "bwrap (bubblewrap) is not installed; the zlayer sandbox needs it to run RUN steps", -1,
        List.of(), INSTALL_BWRAP, null));
    Path unshare = require("unshare", searchPath);
    Path setpriv = require("setpriv", searchPath);
    require("mount", searchPath);
    Path env = find("env", searchPath).orElseThrow(() -> new BuildException(
        "env (coreutils) is not installed; the zlayer sandbox needs it", -1, List.of(),
        "install it: apt-get install coreutils", null));
    if (mode == PrivilegeMode.ROOT && effectiveUid() != 0) {
      throw new BuildException("the root sandbox mode needs root (effective uid is "
          + effectiveUid() + ")");
    }
    List<HostRootEntry> hostRoot = hostRootLayout();
    List<String> maskedFiles = new ArrayList<>();
    List<String> maskedDirectories = new ArrayList<>();
    for (String path : MASKED_PATHS) {
      Path host = Path.of(path);
      if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
        maskedDirectories.add(path);
      } else if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
        maskedFiles.add(path);
      }
    }
    SandboxHost partial = new SandboxHost(bwrap, unshare, setpriv, env, mode, false, hostRoot,
        maskedFiles, maskedDirectories);
    partial.probeSandbox();
    boolean overlay = partial.probeOverlay(probeDir);
    return new SandboxHost(bwrap, unshare, setpriv, env, mode, overlay, hostRoot, maskedFiles,
        maskedDirectories);
  }

  public PrivilegeMode mode() {
    return mode;
  }

  public boolean overlaySupported() {
    return overlaySupported;
  }

  /** The sandbox to use here: overlay-based when overlay mounts work, else the flat fallback. */
  public StepSandbox stepSandbox() {
    return overlaySupported ? new RunSandbox(this) : new FlatRootfsSandbox(this);
  }

  Path bwrap() {
    return bwrap;
  }

  Path unshare() {
    return unshare;
  }

  Path setpriv() {
    return setpriv;
  }

  Path env() {
    return env;
  }

  List<HostRootEntry> hostRoot() {
    return hostRoot;
  }

  List<String> maskedFiles() {
    return maskedFiles;
  }

  List<String> maskedDirectories() {
    return maskedDirectories;
  }

  /** The namespace wrapper every step (and probe) starts with. */
  List<String> namespaceWrapper() {
    List<String> command = new ArrayList<>();
    command.add(unshare.toString());
    if (mode == PrivilegeMode.ROOTLESS) {
      command.add("--user");
      command.add("--map-root-user");
    }
    command.add("--mount");
    command.add("--propagation");
    command.add("private");
    command.add("--");
    return command;
  }

  static ProcessBuilder quietProcess(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().clear();
    builder.environment().put("PATH", String.join(":", SEARCH_PATH));
    builder.environment().put("LC_ALL", "C");
    return builder;
  }

  private void probeSandbox() throws BuildException {
    Path truePath = find("true").orElse(Path.of("/bin/true"));
    List<String> command = new ArrayList<>(namespaceWrapper());
    command.addAll(List.of(bwrap.toString(), "--ro-bind", "/", "/", "--proc", "/proc",
        "--dev", "/dev", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try", "--die-with-parent", "--", truePath.toString()));
    Probe result = probe(command);
    if (result.exitCode() != 0) {
      String hint = mode == PrivilegeMode.ROOTLESS
          ? "rootless builds need unprivileged user namespaces (sysctl "
              + "kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0), or run as root"
          : null;
      throw new BuildException("the sandbox cannot start here: " + result.lastLine(), -1,
          result.lines(), hint, null);
    }
  }

  private boolean probeOverlay(Path probeDir) throws BuildException {
    Path dir = null;
    try {
      Files.createDirectories(probeDir);
      dir = Files.createTempDirectory(probeDir, "overlay-probe-");
      Path lower = Files.createDirectory(dir.resolve("lower"));
      Files.writeString(lower.resolve("probe"), "probe");
      Files.createDirectory(dir.resolve("upper"));
      Files.createDirectory(dir.resolve("work"));
      Files.createDirectory(dir.resolve("merged"));
      String options = "userxattr,lowerdir=" + lower + ",upperdir=" + dir.resolve("upper")
          + ",workdir=" + dir.resolve("work");
      List<String> command = new ArrayList<>(namespaceWrapper());
      command.addAll(List.of("/bin/sh", "-c",
          "mount -t overlay overlay -o \"$1\" \"$2\" && test -f \"$2/probe\"", "probe",
          options, dir.resolve("merged").toString()));
      return probe(command).exitCode() == 0;
    } catch (IOException e) {
      throw new BuildException("cannot probe overlay mounts in " + probeDir + ": " + e, e);
    } finally {
      if (dir != null) {
        ScratchFiles.deleteQuietly(dir);
      }
    }
  }

  private record Probe(int exitCode, List<String> lines) {
    String lastLine() {
      return lines.isEmpty() ? "exit status " + exitCode : lines.get(lines.size() - 1);
    }
  }

  private static Probe probe(List<String> command) throws BuildException {
    try {
      Process process = quietProcess(command).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new BuildException("sandbox probe timed out: " + String.join(" ", command));
      }
      String text = new String(output, StandardCharsets.UTF_8).strip();
      List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n"));
      return new Probe(process.exitValue(), lines);
    } catch (IOException e) {
      throw new BuildException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("interrupted while probing the sandbox", e);
    }
  }

  private static Path require(String program, List<String> searchPath) throws BuildException {
    return find(program, searchPath).orElseThrow(() -> new BuildException(program
        + " (util-linux) is not installed; the zlayer sandbox needs it to run RUN steps", -1,
        List.of(), INSTALL_UTIL_LINUX, null));
  }

  static Optional<Path> find(String program) {
    return find(program, SEARCH_PATH);
  }

  private static Optional<Path> find(String program, List<String> searchPath) {
    for (String dir : searchPath) {
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static List<HostRootEntry> hostRootLayout() throws BuildException {
    List<HostRootEntry> out = new ArrayList<>();
    for (String name : List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32")) {
      Path path = Path.of("/", name);
      try {
        if (Files.isSymbolicLink(path)) {
          out.add(new HostRootEntry(name, Optional.of(Files.readSymbolicLink(path).toString())));
        } else if (Files.isDirectory(path)) {
          out.add(new HostRootEntry(name, Optional.empty()));
        }
      } catch (IOException e) {
        throw new BuildException("cannot read /" + name + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: treat as unprivileged
    }
    return -1;
  }
}
