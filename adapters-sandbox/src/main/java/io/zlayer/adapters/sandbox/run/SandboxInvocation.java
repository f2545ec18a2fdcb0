package io.zlayer.adapters.sandbox.run;

import io.zlayer.adapters.sandbox.run.SandboxHost.HostRootEntry;
import io.zlayer.adapters.sandbox.run.SandboxHost.PrivilegeMode;
import io.zlayer.domain.error.BuildException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The command line of one step, built without touching the disk:
 *
 * <pre>
 * unshare [--user --map-root-user] --mount --propagation private -- /bin/sh -c SETUP zlayer-run
 *     [setpriv ...] bwrap ... -- [setpriv ... unshare --root ...] ARGV...
 * </pre>
 *
 * <p>SETUP mounts the overlay (and the throwaway mounts: a tmpfs for secrets and copied files,
 * overlays for writable binds) inside the new mount namespace, so every one of them disappears
 * with the namespace, even when zlayer is killed. bubblewrap then builds the step's root from the
 * merged directory, with {@code --die-with-parent} tying the step to our process.
 *
 * <p>Users. As root, bubblewrap can only switch users through a user namespace, which would map
 * one uid and turn every other owner into nobody. So: a step running as uid 0 gets its gid and
 * supplementary groups from {@code setpriv} before bubblewrap starts, and bubblewrap keeps them; a
 * step running as another user is started through a tiny read-only "outer root" (the host's
 * {@code /usr} and library directories only) with the image at {@code /newroot}: {@code setpriv}
 * sets gid and groups, then {@code unshare --root=/newroot --wd=DIR --setuid=UID} chroots into the
 * image and drops root before it executes the command. The command then has no capabilities and
 * cannot leave the chroot, so it sees only the image. Rootless, bubblewrap's own {@code
 * --unshare-user --uid --gid} does the switch.
 *
 * <p>Capabilities. As in Docker, root in the step holds only Docker's default set ({@code
 * --cap-drop ALL --cap-add ...}); {@link SecurityMode#INSECURE} keeps every capability.
 * bubblewrap always sets {@code no_new_privs}, so unlike Docker, setuid programs such as {@code
 * sudo} cannot raise privileges inside a step.
 */
final class SandboxInvocation {
  static final String NEW_ROOT = "/newroot";
  static final int STATUS_FD = 3;
  /**
   * bubblewrap reads the environment options from this descriptor ({@code --args}), which the
   * setup script takes over from its stdin: no value of the step's environment (secrets with
   * {@code env=} among them) ever appears in a host process's argv or environ.
   */
  static final int ARGS_FD = 4;
  // The kernel copies mount data into one page; keep below 4096 with room for the NUL.
  static final int MAX_MOUNT_OPTIONS = 4000;

  /** Docker's (and containerd's) default capabilities for a container's root. */
  static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
      "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
      "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
      "CAP_AUDIT_WRITE");

  /**
   * The overlay mount of the step's root: options (possibly relative to {@code chdir}) and the
   * short symlinks (link to layer directory) that must exist before it is mounted.
   */
  record OverlayMount(String options, Optional<Path> chdir, Path mergedDir,
      Map<Path, Path> links) {
    OverlayMount {
      links = Map.copyOf(links);
    }
  }

  /** Where a mount comes from once prepared on the host side. */
  sealed interface Source {
    /** bind a host path ({@code --ro-bind} or {@code --bind}) */
    record HostPath(Path path, boolean readOnly) implements Source {}

    /** a throwaway overlay over a host directory, mounted by the setup script */
    record ThrowawayOverlay(Path lower, Path upper, Path work, Path merged) implements Source {}

    /** a copy made by the setup script into the namespace's tmpfs */
    record TmpfsCopy(Path from, Path to, boolean readOnly, Optional<Ownership> ownership)
        implements Source {}

    record Tmpfs(java.util.OptionalLong sizeBytes, int mode) implements Source {}
  }

  record Ownership(int uid, int gid, int mode) {}

  /** A mount with its target already resolved inside the image. */
  record PlannedMount(String target, Source source) {}

  private final SandboxHost host;
  private final RunSpec spec;
  private final Path rootSource;
  private final Optional<OverlayMount> overlay;
  private final Optional<Path> namespaceTmpfs;
  private final Path statusFile;
  private final List<PlannedMount> mounts;
  private final Set<String> missingInImage;

  /**
   * @param rootSource the merged overlay directory or the flat rootfs
   * @param namespaceTmpfs where the setup script mounts its private tmpfs, when a mount needs it
   * @param mounts network files and user mounts, targets resolved inside the image
   * @param missingInImage the image paths that do not exist before the step (mount points and
   *     their parents that will be created)
   */
  SandboxInvocation(SandboxHost host, RunSpec spec, Path rootSource,
      Optional<OverlayMount> overlay, Optional<Path> namespaceTmpfs, Path statusFile,
      List<PlannedMount> mounts, Set<String> missingInImage) {
    this.missingInImage = Set.copyOf(missingInImage);
    this.host = host;
    this.spec = spec;
    this.rootSource = rootSource;
    this.overlay = overlay;
    this.namespaceTmpfs = namespaceTmpfs;
    this.statusFile = statusFile;
    this.mounts = List.copyOf(mounts);
  }

  List<String> command() {
    List<String> command = new ArrayList<>(host.namespaceWrapper());
    command.add("/bin/sh");
    command.add("-c");
    command.add(setupScript());
    command.add("zlayer-run");
    command.addAll(sandboxCommand());
    return command;
  }

  /**
   * What the process must get on its stdin: the NUL-separated {@code --setenv NAME VALUE}
   * options that bubblewrap reads from {@link #ARGS_FD}.
   */
  byte[] hiddenArguments() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String entry : spec.env()) {
      int equals = entry.indexOf('=');
      for (String part : List.of("--setenv", entry.substring(0, equals),
          entry.substring(equals + 1))) {
        out.writeBytes(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.write(0);
      }
    }
    return out.toByteArray();
  }

  /** Whether the command runs through the outer root and a user switch inside. */
  boolean switchesUserInside() {
    return host.mode() == PrivilegeMode.ROOT && spec.user().uid() != 0;
  }

  String setupScript() {
    List<String> lines = new ArrayList<>();
    lines.add("set -e");
    overlay.ifPresent(o -> {
      o.chdir().ifPresent(dir -> lines.add("cd -- " + quote(dir.toString())));
      lines.add("mount -t overlay overlay -o " + quote(o.options()) + " "
          + quote(o.mergedDir().toString()));
    });
    namespaceTmpfs.ifPresent(dir -> lines.add(
        "mount -t tmpfs -o mode=0700 zlayer-run " + quote(dir.toString())));
    for (PlannedMount mount : mounts) {
      if (mount.source() instanceof Source.ThrowawayOverlay o) {
        lines.add("mount -t overlay overlay -o " + quote("userxattr,lowerdir=" + o.lower()
            + ",upperdir=" + o.upper() + ",workdir=" + o.work()) + " "
            + quote(o.merged().toString()));
      } else if (mount.source() instanceof Source.TmpfsCopy c) {
        lines.add("cp -p -- " + quote(c.from().toString()) + " " + quote(c.to().toString()));
        if (c.ownership().isPresent()) {
          Ownership owner = c.ownership().get();
          lines.add("chown " + owner.uid() + ":" + owner.gid() + " " + quote(c.to().toString()));
          lines.add("chmod " + Integer.toOctalString(owner.mode()) + " "
              + quote(c.to().toString()));
        }
      }
    }
    lines.add("exec " + ARGS_FD + "<&0 0</dev/null");
    lines.add("exec " + STATUS_FD + ">" + quote(statusFile.toString()));
    lines.add("exec \"$@\"");
    return String.join("\n", lines) + "\n";
  }

  List<String> sandboxCommand() {
    List<String> command = new ArrayList<>();
    RunUser user = spec.user();
    if (host.mode() == PrivilegeMode.ROOT && user.uid() == 0) {
      command.addAll(setpriv(user));
    }
    command.add(host.bwrap().toString());
    command.addAll(List.of("--die-with-parent", "--new-session", "--unshare-pid",
        "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"));
    if (!spec.network().sharesHostNetwork()) {
      command.add("--unshare-net");
    }
    boolean rootlessSwitch = host.mode() == PrivilegeMode.ROOTLESS
        && (user.uid() != 0 || user.gid() != 0);
    if (rootlessSwitch) {
      command.addAll(List.of("--unshare-user", "--uid", Integer.toString(user.uid()), "--gid",
          Integer.toString(user.gid())));
    }
    command.addAll(List.of("--hostname", spec.hostname()));
    command.addAll(List.of("--json-status-fd", Integer.toString(STATUS_FD)));

    String prefix = switchesUserInside() ? NEW_ROOT : "";
    if (switchesUserInside()) {
      command.addAll(List.of("--ro-bind", "/usr", "/usr"));
      for (HostRootEntry entry : host.hostRoot()) {
        if (entry.symlinkTarget().isPresent()) {
          command.addAll(List.of("--symlink", entry.symlinkTarget().get(), "/" + entry.name()));
        } else {
          command.addAll(List.of("--ro-bind", "/" + entry.name(), "/" + entry.name()));
        }
      }
      command.addAll(List.of("--bind", rootSource.toString(), NEW_ROOT));
    } else {
      command.addAll(List.of("--bind", rootSource.toString(), "/"));
    }
    command.addAll(List.of("--proc", prefix + "/proc", "--dev", prefix + "/dev", "--mqueue",
        prefix + "/dev/mqueue", "--ro-bind", "/sys", prefix + "/sys"));
    if (spec.security() == SecurityMode.SANDBOX) {
      for (String file : host.maskedFiles()) {
        command.addAll(List.of("--dev-bind", "/dev/null", prefix + file));
      }
      for (String dir : host.maskedDirectories()) {
        command.addAll(List.of("--tmpfs", prefix + dir, "--remount-ro", prefix + dir));
      }
    }
    List<PlannedMount> ordered = new ArrayList<>(mounts);
    // Parents before children, as Docker sorts mounts by depth; the sort is stable.
    ordered.sort(Comparator.comparingInt(m -> ImageTree.components(m.target()).size()));
    Set<String> created = new HashSet<>();
    for (int i = 0; i < ordered.size(); i++) {
      PlannedMount mount = ordered.get(i);
      for (String parent : missingParents(mount.target(), ordered.subList(0, i))) {
        if (created.add(parent)) {
          command.addAll(List.of("--perms", "0755", "--dir", prefix + parent));
        }
      }
      command.addAll(mountArguments(mount, prefix + mount.target()));
    }
    command.addAll(List.of("--clearenv", "--args", Integer.toString(ARGS_FD)));
    command.addAll(capabilities());
    command.addAll(List.of("--chdir", switchesUserInside() ? "/" : spec.workingDir()));
    command.add("--");
    if (switchesUserInside()) {
      // bubblewrap exported PWD=/ for the outer root; the step's PWD is its working directory
      command.addAll(List.of(host.env().toString(), "PWD=" + spec.workingDir()));
      command.addAll(setpriv(user));
      command.addAll(List.of(host.unshare().toString(), "--root=" + NEW_ROOT,
          "--wd=" + spec.workingDir(), "--setuid=" + user.uid(), "--"));
    }
    command.addAll(spec.argv());
    return command;
  }

  /**
   * The parents of {@code target} that do not exist yet, shallow first. bubblewrap would create
   * them with mode 0700; runc (and so Docker) creates them with 0755, which matters when the step
   * runs as another user. A parent under an earlier tmpfs mount is always missing; one under an
   * earlier bind is left to the bound directory.
   */
  private List<String> missingParents(String target, List<PlannedMount> earlier) {
    List<String> out = new ArrayList<>();
    List<String> parts = ImageTree.components(target);
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < parts.size() - 1; i++) {
      path.append('/').append(parts.get(i));
      String parent = path.toString();
      Optional<PlannedMount> covering = Optional.empty();
      for (PlannedMount mount : earlier) {
        if (parent.equals(mount.target()) || parent.startsWith(mount.target() + "/")) {
          covering = Optional.of(mount);
        }
      }
      if (covering.isPresent()) {
        if (covering.get().source() instanceof Source.Tmpfs
            && !parent.equals(covering.get().target())) {
          out.add(parent);
        }
      } else if (missingInImage.contains(parent)) {
        out.add(parent);
      }
    }
    return out;
  }

  private List<String> setpriv(RunUser user) {
    List<String> command = new ArrayList<>();
    command.add(host.setpriv().toString());
    command.add("--regid=" + user.gid());
    if (user.supplementaryGids().isEmpty()) {
      command.add("--clear-groups");
    } else {
      command.add("--groups=" + user.supplementaryGids().stream().map(String::valueOf)
          .collect(Collectors.joining(",")));
    }
    command.add("--");
    return command;
  }

  private List<String> capabilities() {
    List<String> out = new ArrayList<>();
    if (host.mode() == PrivilegeMode.ROOTLESS && spec.user().uid() != 0) {
      out.addAll(List.of("--cap-drop", "ALL"));
    } else if (spec.security() == SecurityMode.INSECURE) {
      out.addAll(List.of("--cap-add", "ALL"));
    } else {
      out.addAll(List.of("--cap-drop", "ALL"));
      for (String capability : DEFAULT_CAPABILITIES) {
        out.addAll(List.of("--cap-add", capability));
      }
    }
    return out;
  }

  private static List<String> mountArguments(PlannedMount mount, String destination) {
    Source source = mount.source();
    if (source instanceof Source.HostPath p) {
      return List.of(p.readOnly() ? "--ro-bind" : "--bind", p.path().toString(), destination);
    } else if (source instanceof Source.ThrowawayOverlay o) {
      return List.of("--bind", o.merged().toString(), destination);
    } else if (source instanceof Source.TmpfsCopy c) {
      return List.of(c.readOnly() ? "--ro-bind" : "--bind", c.to().toString(), destination);
    } else if (source instanceof Source.Tmpfs t) {
      List<String> out = new ArrayList<>();
      if (t.sizeBytes().isPresent()) {
        out.addAll(List.of("--size", Long.toString(t.sizeBytes().getAsLong())));
      }
      out.addAll(List.of("--perms", String.format("%04o", t.mode()), "--tmpfs", destination));
      return out;
    }
    throw new IllegalStateException("unknown mount source " + source);
  }

  /**
   * The overlay options for a layer stack. Paths are absolute unless the options would pass the
   * kernel's one-page limit; then each lower directory is reached through a short symlink in
   * {@code linkDir} ({@code l/0}, {@code l/1}, ...; overlay follows them when it mounts) and the
   * setup script changes into {@code linkDir}'s parent first, as Docker's overlay2 driver does.
   */
  static OverlayMount overlayMount(List<Path> lowersTopFirst, Path upper, Path work,
      Path merged, Path linkDir) throws BuildException {
    List<Path> all = new ArrayList<>(lowersTopFirst);
    all.add(upper);
    all.add(work);
    all.add(linkDir);
    for (Path path : all) {
      String text = path.toString();
      if (text.contains(",") || text.contains(":") || text.contains("\\")
          || text.contains("\n")) {
        throw new BuildException("cannot mount layer directory " + text
            + ": overlay paths may not contain ',', ':' or '\\'");
      }
    }
    String absolute = options(lowersTopFirst, upper, work);
    if (absolute.length() <= MAX_MOUNT_OPTIONS) {
      return new OverlayMount(absolute, Optional.empty(), merged, Map.of());
    }
    Map<Path, Path> links = new LinkedHashMap<>();
    List<Path> shortLowers = new ArrayList<>();
    for (int i = 0; i < lowersTopFirst.size(); i++) {
      Path link = linkDir.resolve(Integer.toString(i));
      links.put(link, lowersTopFirst.get(i));
      shortLowers.add(linkDir.getFileName().resolve(Integer.toString(i)));
    }
    String relative = options(shortLowers, upper, work);
    if (relative.length() > MAX_MOUNT_OPTIONS) {
      throw new BuildException("cannot mount " + lowersTopFirst.size()
          + " layers in one overlay: the mount options exceed the kernel's 4 KiB limit");
    }
    return new OverlayMount(relative, Optional.of(linkDir.getParent()), merged, links);
  }

  private static String options(List<Path> lowers, Path upper, Path work) {
    return "userxattr,lowerdir=" + lowers.stream().map(Path::toString)
        .collect(Collectors.joining(":")) + ",upperdir=" + upper + ",workdir=" + work;
  }

  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
