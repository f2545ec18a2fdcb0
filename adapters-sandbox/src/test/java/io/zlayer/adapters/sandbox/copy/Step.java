package io.zlayer.adapters.sandbox.copy;

import io.zlayer.domain.build.FileSource;
import io.zlayer.domain.build.StepAction.CopyFiles;
import io.zlayer.domain.dockerfile.instructions.Chmod;
import io.zlayer.domain.dockerfile.instructions.SourceContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the {@link CopyFiles} of a COPY or ADD step for tests. */
final class Step {
  private boolean add;
  private final List<String> sources = new ArrayList<>();
  private final List<SourceContent> inline = new ArrayList<>();
  private String destination;
  private Optional<String> chown = Optional.empty();
  private Optional<Chmod> chmod = Optional.empty();
  private boolean link;
  private boolean parents;
  private final List<String> excludes = new ArrayList<>();
  private boolean keepGitDir;
  private Optional<String> checksum = Optional.empty();
  private Optional<Boolean> unpack = Optional.empty();

  /** {@code COPY src... dest}; the last argument is the (absolute) destination. */
  static Step copy(String... args) {
    Step s = new Step();
    for (int i = 0; i < args.length - 1; i++) {
      s.sources.add(args[i]);
    }
    s.destination = args[args.length - 1];
    return s;
  }

  static Step add(String... args) {
    Step s = copy(args);
    s.add = true;
    return s;
  }

  Step heredoc(String name, String data) {
    inline.add(new SourceContent(name, data, true));
    return this;
  }

  Step chown(String value) {
    chown = Optional.of(value);
    return this;
  }

  Step chmod(Chmod value) {
    chmod = Optional.of(value);
    return this;
  }

  Step link() {
    link = true;
    return this;
  }

  Step parents() {
    parents = true;
    return this;
  }

  Step exclude(String pattern) {
    excludes.add(pattern);
    return this;
  }

  Step keepGitDir() {
    keepGitDir = true;
    return this;
  }

  Step checksum(String value) {
    checksum = Optional.of(value);
    return this;
  }

  Step unpack(boolean value) {
    unpack = Optional.of(value);
    return this;
  }

  CopyFiles build() {
    return new CopyFiles(add, new FileSource.BuildContext(), sources, inline, destination, chown,
        chmod, link, parents, excludes, keepGitDir, checksum, unpack);
  }
}
