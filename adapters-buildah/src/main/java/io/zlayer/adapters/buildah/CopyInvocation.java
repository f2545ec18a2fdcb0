package io.zlayer.adapters.buildah;

import io.zlayer.domain.build.FileSource;
import io.zlayer.domain.build.StepAction.CopyFiles;
import io.zlayer.domain.dockerfile.instructions.Chmod;
import io.zlayer.domain.dockerfile.instructions.SourceContent;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a COPY or ADD step into {@code buildah copy}/{@code buildah add} calls: one for the
 * sources (from the context with its ignore file, or {@code --from} a stage or image), one for
 * heredoc files written to a private directory. Sources are made absolute against the context
 * (or the empty directory standing for scratch), with {@code ..} unable to leave it, so the
 * process's working directory never matters.
 */
final class CopyInvocation {
  /**
   * One buildah call.
   *
   * @param options the flags
   * @param sources the source arguments
   * @param workingDir where buildah runs
   */
  record Call(List<String> options, List<String> sources, Path workingDir) {
    Call {
      options = List.copyOf(options);
      sources = List.copyOf(sources);
    }
  }

  private CopyInvocation() {}

  static List<Call> prepare(CopyFiles copy, StepResources res, String where)
      throws ZlayerException, CommandFailure, InterruptedException, IOException {
    String keyword = copy.add() ? "ADD" : "COPY";
    unsupported(copy.parents(), where, keyword + " --parents");
    unsupported(!copy.excludes().isEmpty(), where, keyword + " --exclude");
    unsupported(copy.checksum().isPresent(), where, "ADD --checksum");
    unsupported(copy.keepGitDir(), where, "ADD --keep-git-dir");
    unsupported(copy.unpack().isPresent(), where, "ADD --unpack");
    for (String src : copy.sources()) {
      unsupported(copy.add() && isGitSource(src), where, "ADD from a git repository");
    }
    List<String> common = new ArrayList<>();
    copy.chown().filter(s -> !s.isEmpty()).ifPresent(c -> {
      common.add("--chown");
      common.add(c);
    });
    if (copy.chmod().isPresent()) {
      Chmod chmod = copy.chmod().get();
      if (chmod instanceof Chmod.Octal octal) {
        common.add("--chmod");
        common.add("0" + Integer.toOctalString(octal.mode()));
      } else {
        unsupported(true, where, keyword + " --chmod with a symbolic mode ("
            + ((Chmod.Symbolic) chmod).expression() + ")");
      }
    }
    List<Call> calls = new ArrayList<>();
    if (!copy.sources().isEmpty()) {
      List<String> options = new ArrayList<>(common);
      List<String> sources = new ArrayList<>();
      Path workingDir = res.contextDir();
      FileSource from = copy.source();
      Optional<String> image = from instanceof FileSource.BuildContext ? Optional.empty()
          : res.imageFor(from);
      if (from instanceof FileSource.BuildContext) {
        options.add("--contextdir");
        options.add(res.contextDir().toString());
        res.ignoreFile().ifPresent(f -> {
          options.add("--ignorefile");
          options.add(f.toString());
        });
        for (String src : copy.sources()) {
          sources.add(copy.add() && isUrl(src) ? src
              : RunInvocation.inside(res.contextDir(), src).toString());
        }
      } else if (image.isPresent()) {
        options.add("--from");
        options.add(image.get());
        sources.addAll(copy.sources());
      } else {
        Path empty = res.newDirectory("empty");
        workingDir = empty;
        for (String src : copy.sources()) {
          sources.add(RunInvocation.inside(empty, src).toString());
        }
      }
      calls.add(new Call(options, sources, workingDir));
    }
    if (!copy.inlineSources().isEmpty()) {
      Path dir = res.newDirectory("heredoc");
      List<String> sources = new ArrayList<>();
      for (SourceContent content : copy.inlineSources()) {
        Path file = RunInvocation.inside(dir, content.path());
        if (file.equals(dir)) {
          throw new UsageException(where + ": invalid heredoc file name " + content.path());
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, content.data(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, RunInvocation.permissions(0644));
        sources.add(file.toString());
      }
      calls.add(new Call(common, sources, dir));
    }
    return calls;
  }

  private static void unsupported(boolean present, String where, String what)
      throws UsageException {
    if (present) {
      throw new UsageException(where + ": " + what + " is not supported by the buildah backend"
          + " (buildah 1.28)", "use --backend sandbox");
    }
  }

  private static boolean isUrl(String src) {
    return src.startsWith("http://") || src.startsWith("https://");
  }

  /** The git sources BuildKit recognises by their scheme or suffix. */
  static boolean isGitSource(String src) {
    if (src.startsWith("git://") || src.startsWith("git@") || src.startsWith("ssh://")) {
      return true;
    }
    if (isUrl(src)) {
      int fragment = src.indexOf('#');
      String url = fragment < 0 ? src : src.substring(0, fragment);
      int query = url.indexOf('?');
      return (query < 0 ? url : url.substring(0, query)).endsWith(".git");
    }
    return false;
  }
}
