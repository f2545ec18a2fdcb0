package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.instructions.Chmod;
import io.zlayer.domain.dockerfile.instructions.NetworkMode;
import io.zlayer.domain.dockerfile.instructions.SecurityMode;
import io.zlayer.domain.dockerfile.instructions.SourceContent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What an engine has to do for one step. */
public sealed interface StepAction {

  /** Whether the step changes the filesystem (and so makes a layer). */
  boolean producesLayer();

  /** A metadata instruction: only the config changed (ENV, LABEL, CMD, ARG …). */
  record ConfigChange() implements StepAction {
    @Override
    public boolean producesLayer() {
      return false;
    }
  }

  /**
   * Run a command in the stage's filesystem.
   *
   * @param argv the process arguments (the shell prepended for the shell form)
   * @param environment the environment as {@code KEY=value}: the image ENV and the ARGs in scope,
   *     in BuildKit's order (a later definition replaces an earlier one in place)
   * @param proxyEnvironment the proxy variables from {@code --build-arg}s, appended to the
   *     environment when running but kept out of cache keys and history
   * @param workingDir the absolute working directory
   * @param user the USER in effect (empty: the engine's default, root)
   * @param mounts the {@code --mount}s, in order
   * @param network {@code --network}
   * @param security {@code --security}
   * @param script for a heredoc script starting with {@code #!}: a file the engine mounts
   *     read-only at {@link InlineScript#path()}, which {@code argv} runs
   */
  record RunCommand(
      List<String> argv,
      List<String> environment,
      List<String> proxyEnvironment,
      String workingDir,
      Optional<String> user,
      List<ResolvedMount> mounts,
      NetworkMode network,
      SecurityMode security,
      Optional<InlineScript> script)
      implements StepAction {
    public RunCommand {
      argv = List.copyOf(argv);
      environment = List.copyOf(environment);
      proxyEnvironment = List.copyOf(proxyEnvironment);
      Objects.requireNonNull(workingDir, "workingDir");
      Objects.requireNonNull(user, "user");
      mounts = List.copyOf(mounts);
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(security, "security");
      Objects.requireNonNull(script, "script");
    }

    @Override
    public boolean producesLayer() {
      return true;
    }

    /** The environment the process gets: {@link #environment} then the proxy variables. */
    public List<String> processEnvironment() {
      List<String> all = new java.util.ArrayList<>(environment);
      all.addAll(proxyEnvironment);
      return List.copyOf(all);
    }
  }

  /**
   * A heredoc script run as a file (BuildKit mounts it at {@code /dev/pipes/<name>}).
   *
   * @param directory where the file is mounted, {@code /dev/pipes/}
   * @param name the file name (the heredoc delimiter)
   * @param content the script
   * @param mode the file mode, {@code 0755}
   */
  record InlineScript(String directory, String name, String content, int mode) {
    public InlineScript {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(content, "content");
    }

    /** The absolute path argv refers to. */
    public String path() {
      return GoPath.join(directory, name);
    }
  }

  /**
   * Copy files into the stage (COPY or ADD), every value expanded.
   *
   * @param add true for ADD (URLs, git sources, archive unpacking)
   * @param source where {@code sources} are read from
   * @param sources the source paths or patterns (ADD: also URLs and git references)
   * @param inlineSources heredoc files ({@code COPY <<EOF /dest}), contents expanded when the
   *     delimiter was unquoted
   * @param destination the destination resolved against the working directory; a trailing
   *     {@code /} (or {@code /.}) of the written destination is kept, meaning "into this
   *     directory"
   * @param chown {@code --chown}
   * @param chmod {@code --chmod}, parsed
   * @param link {@code --link}
   * @param parents {@code --parents} (COPY)
   * @param excludes {@code --exclude} patterns
   * @param keepGitDir {@code --keep-git-dir} (ADD)
   * @param checksum {@code --checksum} (ADD)
   * @param unpack {@code --unpack} (ADD) when given; else ADD unpacks local archives only
   */
  record CopyFiles(
      boolean add,
      FileSource source,
      List<String> sources,
      List<SourceContent> inlineSources,
      String destination,
      Optional<String> chown,
      Optional<Chmod> chmod,
      boolean link,
      boolean parents,
      List<String> excludes,
      boolean keepGitDir,
      Optional<String> checksum,
      Optional<Boolean> unpack)
      implements StepAction {
    public CopyFiles {
      Objects.requireNonNull(source, "source");
      sources = List.copyOf(sources);
      inlineSources = List.copyOf(inlineSources);
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(chown, "chown");
      Objects.requireNonNull(chmod, "chmod");
      excludes = List.copyOf(excludes);
      Objects.requireNonNull(checksum, "checksum");
      Objects.requireNonNull(unpack, "unpack");
    }

    @Override
    public boolean producesLayer() {
      return true;
    }
  }

  /**
   * WORKDIR to a directory other than {@code /}: create it with its parents, owned by the USER
   * in effect (BuildKit's {@code mkdir -p} file operation).
   *
   * @param path the absolute directory
   * @param user the USER in effect, empty for root
   */
  record CreateDirectory(String path, Optional<String> user) implements StepAction {
    public CreateDirectory {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(user, "user");
    }

    @Override
    public boolean producesLayer() {
      return true;
    }
  }
}
