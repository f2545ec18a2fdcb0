package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.ScratchFiles;
import io.zlayer.adapters.sandbox.layer.LayerStackFlattener;
import io.zlayer.adapters.sandbox.run.RunMount;
import io.zlayer.application.port.SecretSource;
import io.zlayer.domain.build.FileSource;
import io.zlayer.domain.build.ResolvedMount;
import io.zlayer.domain.build.StepAction.InlineScript;
import io.zlayer.domain.build.StepAction.RunCommand;
import io.zlayer.domain.dockerfile.instructions.CacheSharing;
import io.zlayer.domain.dockerfile.instructions.Mount;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code RUN --mount}s of one step, turned into host sources for the sandbox, with
 * BuildKit's defaults: bind mounts of the context, a stage or an image (read-only unless
 * {@code rw}); cache directories held per their sharing mode while the step runs; tmpfs; secrets
 * from the build's {@code --secret} sources, as files at {@code /run/secrets/<id>} (or the
 * target) and/or environment variables, skipped when missing unless {@code required}; ssh agent
 * sockets at {@code /run/buildkit/ssh_agent.<n>} with {@code SSH_AUTH_SOCK}; and a heredoc script
 * as a read-only file. Secret values are never written anywhere but a mode-0600 file in a
 * mode-0700 scratch directory that goes when the step ends (and the sandbox's private tmpfs);
 * {@code env=} values reach the sandbox through a pipe, never a command line.
 */
final class RunMounts implements AutoCloseable {
  private static final int SECRET_MODE = 0400;
  private static final int CACHE_MODE = 0755;
  private static final int TMPFS_MODE = 01777;

  private final List<RunMount> mounts = new ArrayList<>();
  private final List<String> environment = new ArrayList<>();
  private final List<AutoCloseable> held = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();

  private RunMounts() {}

  List<RunMount> mounts() {
    return Collections.unmodifiableList(mounts);
  }

  /** Variables the mounts add: secrets with {@code env=}, {@code SSH_AUTH_SOCK}. */
  List<String> environment() {
    return Collections.unmodifiableList(environment);
  }

  static RunMounts prepare(BuildRun run, RunCommand command, String location)
      throws ZlayerException, InterruptedException {
    RunMounts prepared = new RunMounts();
    try {
      int sshCount = 0;
      for (ResolvedMount m : command.mounts()) {
        switch (m.mount().type()) {
          case BIND:
            prepared.bind(run, m, location);
            break;
          case CACHE:
            prepared.cache(run, m, location);
            break;
          case TMPFS:
            prepared.mounts.add(new RunMount.Tmpfs(m.target().orElseThrow(),
                m.mount().sizeLimit() > 0 ? OptionalLong.of(m.mount().sizeLimit())
                    : OptionalLong.empty(), TMPFS_MODE));
            break;
          case SECRET:
            prepared.secret(run, m, command.workingDir(), location);
            break;
          case SSH:
            prepared.ssh(run, m, sshCount++, command.workingDir(), location);
            break;
          default:
            throw new IllegalStateException("unknown mount type " + m.mount().type());
        }
      }
      if (command.script().isPresent()) {
        prepared.script(run, command.script().get());
      }
      return prepared;
    } catch (IOException e) {
      prepared.close();
      throw StageBuilder.ioFailure(location + ": cannot prepare the RUN mounts", e);
    } catch (ZlayerException | InterruptedException | RuntimeException e) {
      prepared.close();
      throw e;
    }
  }

  private void bind(BuildRun run, ResolvedMount m, String location)
      throws ZlayerException, InterruptedException {
    FileSource source = m.source().orElse(new FileSource.BuildContext());
    Path host = run.bindSource(source, m.mount().source(), location);
    mounts.add(new RunMount.Bind(host, m.target().orElseThrow(), m.mount().readOnly()));
  }

  private void cache(BuildRun run, ResolvedMount m, String location)
      throws IOException, ZlayerException, InterruptedException {
    Mount mount = m.mount();
    String target = m.target().orElseThrow();
    String id = mount.id().orElse(mount.target().orElse(target));
    FileSource source = m.source().orElse(new FileSource.Scratch());
    String base = "";
    Optional<CacheMounts.Seed> seed = Optional.empty();
    if (!(source instanceof FileSource.Scratch)) {
      base = run.sourceIdentity(source, mount.source(), location);
      StageFilesystem fs = run.filesystem(source);
      String sub = BuildRun.cleanRelative(mount.source().orElse("/"));
      seed = Optional.of(dir -> seedCache(run, fs, sub, dir));
    }
    CacheSharing sharing = mount.sharing().orElse(CacheSharing.SHARED);
    CacheMounts.Lease lease = run.cacheMounts().acquire(id, base, sharing, seed);
    held.add(lease);
    if (mount.readOnly()) {
      mounts.add(new RunMount.Bind(lease.dir(), target, true));
    } else {
      mounts.add(new RunMount.Cache(lease.dir(), target, (int) mount.uid().orElse(0),
          (int) mount.gid().orElse(0), (int) mount.mode().orElse(CACHE_MODE)));
    }
  }

  /** A new cache with {@code from=}: a copy (never links: caches are written) of that path. */
  private static void seedCache(BuildRun run, StageFilesystem fs, String sub, Path dir)
      throws IOException, InterruptedException {
    Path flat = run.scratch().newDirectory("cache-seed-");
    try {
      new LayerStackFlattener().flatten(fs.stack(), flat, LayerStackFlattener.Mode.COPY);
      String resolved = fs.stack().resolve(sub);
      Path from = resolved.isEmpty() ? flat : flat.resolve(resolved);
      if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("the cache source /" + sub + " is not a directory");
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(from)) {
        for (Path child : children) {
          Files.move(child, dir.resolve(child.getFileName().toString()),
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } finally {
      ScratchFiles.deleteQuietly(flat);
    }
  }

  private void secret(BuildRun run, ResolvedMount m, String workingDir, String location)
      throws IOException, BuildException {
    Mount mount = m.mount();
    Optional<String> written = mount.target();
    String id = mount.id().or(mount::source)
        .orElseGet(() -> baseName(written.orElse("")));
    Optional<SecretSource> secret = run.options().secret(id);
    if (secret.isEmpty()) {
      if (mount.required()) {
        throw new BuildException(location + ": secret " + id + " is required but was not "
            + "given", -1, List.of(), "pass it with --secret id=" + id + ",src=FILE", null);
      }
      return;
    }
    Optional<String> envName = mount.env().map(name -> name.isEmpty() ? id : name);
    Optional<String> target = written.map(t -> absolute(t, workingDir));
    if (target.isEmpty() && envName.isEmpty()) {
      target = Optional.of("/run/secrets/" + baseName(id));
    }
    if (envName.isPresent()) {
      environment.add(envName.get() + "=" + value(secret.get(), location));
    }
    if (target.isPresent()) {
      Path file = secretFile(run, secret.get(), location);
      mounts.add(new RunMount.Secret(file, target.get(), (int) mount.uid().orElse(0),
          (int) mount.gid().orElse(0), (int) mount.mode().orElse(SECRET_MODE)));
    }
  }

  private Path secretFile(BuildRun run, SecretSource secret, String location)
      throws IOException, BuildException {
    if (secret instanceof SecretSource.FromFile f) {
      if (!Files.isRegularFile(f.file())) {
        throw new BuildException(location + ": the file of secret " + f.id() + " ("
            + f.file() + ") does not exist");
      }
      return f.file().toAbsolutePath();
    }
    SecretSource.FromEnvironment e = (SecretSource.FromEnvironment) secret;
    Path dir = run.scratch().newDirectory("secret-"); // mode 0700: only root can look in
    files.add(dir);
    Path file = Files.createFile(dir.resolve("value"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, e.value(), StandardCharsets.UTF_8);
    return file;
  }

  private static String value(SecretSource secret, String location) throws BuildException {
    if (secret instanceof SecretSource.FromEnvironment e) {
      return e.value();
    }
    SecretSource.FromFile f = (SecretSource.FromFile) secret;
    try {
      return Files.readString(f.file(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new BuildException(location + ": cannot read the file of secret " + f.id() + " ("
          + f.file() + "): " + ex.getMessage());
    }
  }

  private void ssh(BuildRun run, ResolvedMount m, int index, String workingDir, String location)
      throws BuildException {
    Mount mount = m.mount();
    String id = mount.id().orElse("default");
    String socket = run.options().sshAgents().get(id);
    if (socket == null) {
      if (mount.required()) {
        throw new BuildException(location + ": ssh agent " + id + " is required but was not "
            + "given", -1, List.of(), "forward one with --ssh " + id + "=$SSH_AUTH_SOCK", null);
      }
      return;
    }
    String target = mount.target().map(t -> absolute(t, workingDir))
        .orElse("/run/buildkit/ssh_agent." + index);
    mounts.add(new RunMount.Ssh(Path.of(socket).toAbsolutePath(), target));
    if (environment.stream().noneMatch(e -> e.startsWith("SSH_AUTH_SOCK="))) {
      environment.add("SSH_AUTH_SOCK=" + target);
    }
  }

  private void script(BuildRun run, InlineScript script) throws IOException {
    Path file = Files.createTempFile(run.scratch().dir(), "script-", "");
    files.add(file);
    Files.writeString(file, script.content(), StandardCharsets.UTF_8);
    Files.setAttribute(file, "unix:mode", script.mode() & 07777);
    mounts.add(new RunMount.Bind(file, script.path(), true));
  }

  private static String absolute(String target, String workingDir) {
    String clean = BuildRun.cleanRelative(target.startsWith("/") ? target
        : workingDir + "/" + target);
    return "/" + clean;
  }

  private static String baseName(String path) {
    String clean = BuildRun.cleanRelative(path);
    return clean.substring(clean.lastIndexOf('/') + 1);
  }

  @Override
  public void close() {
    for (int i = held.size() - 1; i >= 0; i--) {
      try {
        held.get(i).close();
      } catch (Exception e) {
        // releasing a lock does not fail in a way we could act on
      }
    }
    held.clear();
    for (Path file : files) {
      ScratchFiles.deleteQuietly(file);
    }
    files.clear();
  }
}
