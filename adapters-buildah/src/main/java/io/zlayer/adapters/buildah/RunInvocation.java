package io.zlayer.adapters.buildah;

import io.zlayer.application.port.SecretSource;
import io.zlayer.domain.build.FileSource;
import io.zlayer.domain.build.ResolvedMount;
import io.zlayer.domain.build.StepAction.InlineScript;
import io.zlayer.domain.build.StepAction.RunCommand;
import io.zlayer.domain.dockerfile.instructions.CacheSharing;
import io.zlayer.domain.dockerfile.instructions.Mount;
import io.zlayer.domain.dockerfile.instructions.MountType;
import io.zlayer.domain.dockerfile.instructions.NetworkMode;
import io.zlayer.domain.dockerfile.instructions.SecurityMode;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a RUN step into {@code buildah run} options. The environment is given whole with {@code
 * --env} (buildah merges the working container's image environment underneath, whose names are
 * always a subset of the step's, so every value is the step's own). Mounts become {@code --mount}
 * binds: the context directly (read-only) or a private copy (read-write, so a RUN cannot change
 * the user's files), stages and images through buildah's {@code from=}, cache mounts as
 * directories under zlayer's cache root, secrets and heredoc scripts as private files.
 */
final class RunInvocation implements AutoCloseable {
  /**
   * Under chroot isolation buildah cannot bind files below {@code /dev}, where BuildKit puts
   * heredoc scripts; they go here instead (and argv is changed to match).
   */
  static final String CHROOT_SCRIPT_DIR = "/run/zlayer-pipes";

  /** The capabilities of a Docker/BuildKit RUN (moby's {@code oci/caps} defaults). */
  static final List<String> DOCKER_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
      "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
      "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
      "CAP_AUDIT_WRITE");

  private final List<String> options;
  private final List<String> argv;
  private final List<String> mountTargets;
  private final List<AutoCloseable> held;

  private RunInvocation(List<String> options, List<String> argv, List<String> mountTargets,
      List<AutoCloseable> held) {
    this.options = List.copyOf(options);
    this.argv = List.copyOf(argv);
    this.mountTargets = List.copyOf(mountTargets);
    this.held = held;
  }

  /** The {@code buildah run} flags before the container name. */
  List<String> options() {
    return options;
  }

  /** The process arguments after {@code --}. */
  List<String> argv() {
    return argv;
  }

  /** Where the step's mounts appear inside the container (for stub removal). */
  List<String> mountTargets() {
    return mountTargets;
  }

  /** Releases cache locks held for the step. */
  @Override
  public void close() {
    for (AutoCloseable c : held) {
      try {
        c.close();
      } catch (Exception e) {
        // a lock that cannot be released is released when the process ends
      }
    }
  }

  static RunInvocation prepare(RunCommand run, StepResources res, String where)
      throws ZlayerException, CommandFailure, InterruptedException, IOException {
    List<String> opts = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    List<AutoCloseable> held = new ArrayList<>();
    boolean done = false;
    try {
      opts.add("--isolation");
      opts.add(res.isolation());
      opts.add("--hostname");
      opts.add("buildkitsandbox");
      opts.add("--workingdir");
      opts.add(run.workingDir());
      opts.add("--user");
      opts.add(run.user().filter(u -> !u.isEmpty()).orElse("0:0"));
      opts.add("--network");
      opts.add(run.network() == NetworkMode.NONE ? "none" : "host");
      if (run.security() == SecurityMode.INSECURE) {
        opts.add("--cap-add");
        opts.add("ALL");
      } else {
        // buildah's defaults (containers.conf) lack NET_RAW, MKNOD and AUDIT_WRITE, which
        // Docker's RUN has. (buildah 1.28 ignores --cap-add after --cap-drop ALL, so Docker's
        // set is added to the configured defaults rather than replacing them.)
        for (String capability : DOCKER_CAPABILITIES) {
          opts.add("--cap-add");
          opts.add(capability);
        }
      }
      List<String> env = new ArrayList<>(run.processEnvironment());
      int sshCount = 0;
      for (ResolvedMount m : run.mounts()) {
        Mount mount = m.mount();
        MountType type = mount.type();
        if (type == MountType.SECRET) {
          secret(m, res, where, opts, env, targets);
        } else if (type == MountType.SSH) {
          ssh(m, res, where, opts, env, targets, sshCount++);
        } else if (type == MountType.TMPFS) {
          String target = m.target().orElseThrow();
          String spec = "type=tmpfs,destination=" + checked(target, where);
          if (mount.sizeLimit() > 0) {
            spec += ",tmpfs-size=" + mount.sizeLimit();
          }
          opts.add("--mount");
          opts.add(spec);
          targets.add(target);
        } else if (type == MountType.CACHE) {
          cache(m, res, where, opts, targets, held);
        } else {
          bind(m, res, where, opts, targets);
        }
      }
      List<String> argv = new ArrayList<>(run.argv());
      if (run.script().isPresent()) {
        InlineScript script = run.script().get();
        String target = script.path();
        if (res.isolation().equals("chroot")) {
          target = CHROOT_SCRIPT_DIR + "/" + script.name();
          int last = argv.size() - 1;
          if (argv.get(last).equals(script.path())) {
            argv.set(last, target);
          }
        }
        Path dir = res.newDirectory("script");
        Path file = dir.resolve("script");
        Files.writeString(file, script.content(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, permissions(script.mode()));
        opts.add("--mount");
        opts.add("type=bind,source=" + checked(file.toString(), where) + ",destination="
            + checked(target, where) + ",ro");
        targets.add(target);
      }
      for (String e : env) {
        opts.add("--env");
        opts.add(e);
      }
      done = true;
      return new RunInvocation(opts, argv, targets, held);
    } finally {
      if (!done) {
        new RunInvocation(List.of(), List.of(), List.of(), held).close();
      }
    }
  }

  private static void bind(ResolvedMount m, StepResources res, String where, List<String> opts,
      List<String> targets) throws ZlayerException, CommandFailure, InterruptedException,
      IOException {
    Mount mount = m.mount();
    String target = m.target().orElseThrow();
    String subpath = mount.source().orElse("/");
    FileSource from = m.source().orElse(new FileSource.BuildContext());
    String spec;
    if (from instanceof FileSource.BuildContext) {
      Path src = inside(res.contextDir(), subpath);
      if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
        throw new BuildException(where + ": bind mount source " + subpath
            + " does not exist in the build context");
      }
      if (!mount.readOnly()) {
        Path copy = res.newDirectory("bind").resolve("data");
        copyTree(src, copy);
        src = copy;
      }
      spec = "type=bind,source=" + checked(src.toString(), where);
    } else {
      Optional<String> image = res.imageFor(from);
      if (image.isEmpty()) {
        Path empty = res.newDirectory("empty");
        spec = "type=bind,source=" + checked(inside(empty, subpath).toString(), where);
      } else if (!mount.readOnly()) {
        Path rootfs = res.writableFilesystem(image.get());
        spec = "type=bind,source=" + checked(inside(rootfs, subpath).toString(), where);
      } else {
        spec = "type=bind,from=" + image.get() + ",source=" + checked(subpath, where);
      }
    }
    opts.add("--mount");
    opts.add(spec + ",destination=" + checked(target, where)
        + (mount.readOnly() ? ",ro" : ",rw"));
    targets.add(target);
  }

  private static void cache(ResolvedMount m, StepResources res, String where, List<String> opts,
      List<String> targets, List<AutoCloseable> held) throws ZlayerException, IOException {
    Mount mount = m.mount();
    String target = m.target().orElseThrow();
    if (mount.from().isPresent()) {
      throw new UsageException(where + ": RUN --mount=type=cache,from=… is not supported by the"
          + " buildah backend (buildah 1.28)", "use --backend sandbox");
    }
    String id = mount.id().orElse(target);
    Path root = res.cacheRoot();
    Files.createDirectories(root);
    String key = Digest.sha256(id.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    Path dir = root.resolve(key);
    CacheSharing sharing = mount.sharing().orElse(CacheSharing.SHARED);
    if (sharing != CacheSharing.SHARED) {
      FileChannel channel = FileChannel.open(root.resolve(key + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      held.add(channel);
      FileLock lock;
      if (sharing == CacheSharing.LOCKED) {
        lock = lockWaiting(channel);
      } else {
        lock = tryLock(channel);
        if (lock == null) {
          // private: another build uses the cache, so this one gets a fresh directory
          dir = res.newDirectory("cache").resolve("data");
        }
      }
      if (lock != null) {
        held.add(lock);
      }
    }
    try {
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, permissions((int) mount.mode().orElse(0755)));
      if (res.root()) {
        setOwner(dir, mount.uid().orElse(0), mount.gid().orElse(0));
      }
    } catch (FileAlreadyExistsException e) {
      // the cache persists from an earlier build
    }
    opts.add("--mount");
    opts.add("type=bind,source=" + checked(dir.toString(), where) + ",destination="
        + checked(target, where) + (mount.readOnly() ? ",ro" : ",rw"));
    targets.add(target);
  }

  private static FileLock lockWaiting(FileChannel channel) throws IOException {
    while (true) {
      try {
        return channel.lock();
      } catch (OverlappingFileLockException e) {
        // another build of this JVM holds it
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted waiting for a cache lock");
        }
      }
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static void secret(ResolvedMount m, StepResources res, String where, List<String> opts,
      List<String> env, List<String> targets) throws ZlayerException, IOException {
    Mount mount = m.mount();
    String id = mount.id().orElseGet(() -> m.target().map(t -> Path.of(t).getFileName()
        .toString()).orElse(""));
    Optional<SecretSource> source = res.options().secret(id);
    if (source.isEmpty()) {
      if (mount.required()) {
        throw new BuildException(where + ": secret " + id + " is required but was not given",
            -1, List.of(), "pass it with --secret id=" + id + ",src=FILE", null);
      }
      return;
    }
    byte[] value;
    if (source.get() instanceof SecretSource.FromFile f) {
      try {
        value = Files.readAllBytes(f.file());
      } catch (IOException e) {
        throw new UsageException("cannot read secret " + id + " from " + f.file() + ": "
            + e.getMessage());
      }
    } else {
      value = ((SecretSource.FromEnvironment) source.get()).value()
          .getBytes(StandardCharsets.UTF_8);
    }
    if (mount.env().isPresent()) {
      env.add(mount.env().get() + "=" + new String(value, StandardCharsets.UTF_8));
      if (m.target().isEmpty()) {
        return;
      }
    }
    String target = m.target().orElse("/run/secrets/" + id);
    if (!target.startsWith("/")) {
      target = "/run/secrets/" + target;
    }
    Path dir = res.newDirectory("secret");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path file = dir.resolve("value");
    Files.write(file, value);
    Files.setPosixFilePermissions(file, permissions((int) mount.mode().orElse(0400)));
    if (res.root()) {
      setOwner(file, mount.uid().orElse(0), mount.gid().orElse(0));
    }
    opts.add("--mount");
    opts.add("type=bind,source=" + checked(file.toString(), where) + ",destination="
        + checked(target, where) + ",ro");
    targets.add(target);
  }

  private static void ssh(ResolvedMount m, StepResources res, String where, List<String> opts,
      List<String> env, List<String> targets, int index) throws ZlayerException {
    Mount mount = m.mount();
    String id = mount.id().orElse("default");
    String socket = res.options().sshAgents().get(id);
    if (socket == null) {
      if (mount.required()) {
        throw new BuildException(where + ": ssh agent " + id + " is required but was not given",
            -1, List.of(), "pass it with --ssh " + id + "=$SSH_AUTH_SOCK", null);
      }
      return;
    }
    String target = m.target().orElse("/run/buildkit/ssh_agent." + index);
    opts.add("--mount");
    opts.add("type=bind,source=" + checked(socket, where) + ",destination="
        + checked(target, where) + ",rw");
    targets.add(target);
    if (index == 0) {
      env.add("SSH_AUTH_SOCK=" + target);
    }
  }

  /** A path inside {@code root}: {@code ..} cannot climb above it, as in BuildKit. */
  static Path inside(Path root, String path) {
    String clean = Path.of("/").resolve(path).normalize().toString();
    return clean.equals("/") ? root : root.resolve(clean.substring(1));
  }

  private static String checked(String value, String where) throws UsageException {
    if (value.indexOf(',') >= 0) {
      throw new UsageException(where + ": the buildah backend cannot mount a path containing a"
          + " comma: " + value, "use --backend sandbox");
    }
    return value;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE,
        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }

  private static void setOwner(Path p, long uid, long gid) throws IOException {
    Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
  }

  /** Copies a file or tree, keeping modes, owners (when root), times and symbolic links. */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }
}
