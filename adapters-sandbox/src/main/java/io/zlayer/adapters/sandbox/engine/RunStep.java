package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.ScratchFiles;
import io.zlayer.adapters.sandbox.layer.FlatDiff;
import io.zlayer.adapters.sandbox.layer.LayerDirWriter;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.LayerStackFlattener;
import io.zlayer.adapters.sandbox.run.NetworkMode;
import io.zlayer.adapters.sandbox.run.OutputLine;
import io.zlayer.adapters.sandbox.run.RunResult;
import io.zlayer.adapters.sandbox.run.RunSpec;
import io.zlayer.adapters.sandbox.run.RunUser;
import io.zlayer.adapters.sandbox.run.SecurityMode;
import io.zlayer.adapters.sandbox.run.StepRoot;
import io.zlayer.adapters.sandbox.run.StepSandbox;
import io.zlayer.adapters.sandbox.run.user.ExecUser;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.StepRef;
import io.zlayer.domain.build.PlannedStage;
import io.zlayer.domain.build.StepAction.RunCommand;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One RUN: the command in the sandbox on the stage's layers, its changes collected in an upper
 * directory. The environment is the step's (ENV, ARGs, proxies) plus the defaults runc adds
 * (PATH, HOME of the user), the user is resolved against the image's /etc/passwd and /etc/group,
 * a missing working directory is created first, owned by that user, as BuildKit's executor does.
 */
final class RunStep {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final BuildRun run;
  private final PlannedStage stage;
  private final StepRef ref;
  private final String location;
  private final String where;

  /**
   * @param location the Dockerfile and line ("Dockerfile:7")
   * @param where the location and the instruction, for messages ("Dockerfile:7: RUN make")
   */
  RunStep(BuildRun run, PlannedStage stage, StepRef ref, String location, String where) {
    this.run = run;
    this.stage = stage;
    this.ref = ref;
    this.location = location;
    this.where = where;
  }

  void run(RunCommand command, StageFilesystem filesystem, Path upper)
      throws ZlayerException, InterruptedException {
    run.foreignPlatforms().requireRunnable(stage.platform(), run.plan().buildPlatform(), where);
    StepSandbox sandbox;
    try {
      sandbox = run.stepSandbox();
    } catch (BuildException e) {
      throw located(e);
    }
    LayerStack stack = filesystem.stack();
    ExecUser user;
    try {
      user = BuildRun.passwd(stack, where).resolve(command.user().orElse(""));
    } catch (BuildException e) {
      throw new BuildException(where + ": " + e.getMessage(), e);
    }
    try (RunMounts mounts = RunMounts.prepare(run, command, location)) {
      List<String> env = environment(command, user, mounts);
      RunSpec spec = new RunSpec(command.argv(), env, command.workingDir(), RunUser.of(user),
          network(command), RunSpec.DEFAULT_HOSTNAME, List.of(), mounts.mounts(), true,
          command.security() == io.zlayer.domain.dockerfile.instructions.SecurityMode.INSECURE
              ? SecurityMode.INSECURE : SecurityMode.SANDBOX);
      Consumer<OutputLine> output = line -> run.emit(new BuildEvent.StepOutput(ref, line.text(),
          line.stream() == OutputLine.Stream.STDERR));
      RunResult result;
      try {
        result = sandbox.overlaySupported()
            ? onOverlay(sandbox, spec, stack, upper, user, output)
            : onFlatRoot(sandbox, spec, stack, upper, user, output);
      } catch (BuildException e) {
        throw e.getMessage().startsWith(location + ":") ? e : located(e);
      }
      if (result.cancelled()) {
        throw new InterruptedException(where + ": cancelled");
      }
      if (result.exitCode() != 0) {
        throw new BuildException(where + ": exit code " + result.exitCode(),
            result.exitCode(), result.lastOutput(), null, null);
      }
    } catch (IOException e) {
      throw StageBuilder.ioFailure(where, e);
    }
  }

  /** The sandbox's own failure (cannot start, not installed) with the step's location. */
  private BuildException located(BuildException e) {
    return new BuildException(where + ": " + e.getMessage(), e.exitCode(), e.lastOutput(),
        e.hint().orElse(null), e);
  }

  private RunResult onOverlay(StepSandbox sandbox, RunSpec spec, LayerStack stack, Path upper,
      ExecUser user, Consumer<OutputLine> output)
      throws IOException, ZlayerException, InterruptedException {
    createWorkingDir(new LayerDirWriter(upper, stack), spec.workingDir(), user);
    Path work = run.scratch().newDirectory("work-");
    try {
      return sandbox.run(new StepRoot.Overlay(stack.layers(), upper, work), spec, output,
          run.cancel());
    } finally {
      ScratchFiles.deleteQuietly(work);
    }
  }

  /** Without overlayfs: a flat copy of the stage, changed in place, then compared. */
  private RunResult onFlatRoot(StepSandbox sandbox, RunSpec spec, LayerStack stack, Path upper,
      ExecUser user, Consumer<OutputLine> output)
      throws IOException, ZlayerException, InterruptedException {
    Path root = run.scratch().newRootDirectory("rootfs-");
    Path work = run.scratch().newDirectory("work-");
    try {
      new LayerStackFlattener().flatten(stack, root, LayerStackFlattener.Mode.COPY);
      FlatDiff.Snapshot before = FlatDiff.snapshot(root);
      createWorkingDir(new LayerDirWriter(root, LayerStack.empty()), spec.workingDir(), user);
      RunResult result = sandbox.run(new StepRoot.FlatRootfs(root, work), spec, output,
          run.cancel());
      if (result.succeeded()) {
        new FlatDiff().writeChanges(before, root, upper, stack);
      }
      return result;
    } finally {
      ScratchFiles.deleteQuietly(work);
      ScratchFiles.deleteQuietly(root);
    }
  }

  private void createWorkingDir(LayerDirWriter writer, String dir, ExecUser user)
      throws BuildException {
    try {
      writer.mkdirs(dir, user.uid(), user.gid(), 0755);
    } catch (IOException e) {
      throw new BuildException(where + ": cannot create the working directory " + dir + ": "
          + e.getMessage(), e);
    }
  }

  /** The process environment: the step's, then PATH and HOME when missing, then the mounts'. */
  private static List<String> environment(RunCommand command, ExecUser user, RunMounts mounts) {
    List<String> env = new ArrayList<>(command.processEnvironment());
    if (!has(env, "PATH")) {
      env.add("PATH=" + DEFAULT_PATH);
    }
    if (!has(env, "HOME")) {
      env.add("HOME=" + user.home());
    }
    for (String entry : mounts.environment()) {
      String name = entry.substring(0, entry.indexOf('='));
      if (name.equals("SSH_AUTH_SOCK") && has(env, name)) {
        continue; // an explicit SSH_AUTH_SOCK wins, as in BuildKit
      }
      env.removeIf(e -> e.startsWith(name + "="));
      env.add(entry);
    }
    return env;
  }

  private static boolean has(List<String> env, String name) {
    return env.stream().anyMatch(e -> e.startsWith(name + "="));
  }

  private static NetworkMode network(RunCommand command) {
    switch (command.network()) {
      case NONE:
        return NetworkMode.NONE;
      case HOST:
        return NetworkMode.HOST;
      default:
        return NetworkMode.DEFAULT;
    }
  }
}
