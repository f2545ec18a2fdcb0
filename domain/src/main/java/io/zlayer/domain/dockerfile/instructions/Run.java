package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.dockerfile.parser.Heredoc;
import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code RUN [--mount=…] [--network=…] [--security=…] <command>}.
 *
 * <p>The command text is never expanded by the builder (the shell does it), and neither are the
 * heredoc bodies. Mount options are: BuildKit keeps the raw {@code --mount} values at parse time
 * and resolves them when it dispatches the instruction, so {@link #mounts()} is filled by {@link
 * #expand} and is empty before (unless there are no mounts at all).
 *
 * @param command the command line (a heredoc RUN has the shell form {@code "<<EOF"})
 * @param heredocs the heredocs the command refers to, in order
 * @param mountSpecs the raw {@code --mount} values, in order
 * @param mounts the resolved mounts, one per spec, after {@link #expand}
 * @param network the {@code --network} mode
 * @param security the {@code --security} mode
 */
public record Run(
    SourceLocation location,
    String original,
    CommandLine command,
    List<Heredoc> heredocs,
    List<String> mountSpecs,
    List<Mount> mounts,
    NetworkMode network,
    SecurityMode security)
    implements Instruction, Expandable<Run> {

  public Run {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(security, "security");
    heredocs = List.copyOf(heredocs);
    mountSpecs = List.copyOf(mountSpecs);
    mounts = List.copyOf(mounts);
    if (!mounts.isEmpty() && mounts.size() != mountSpecs.size()) {
      throw new IllegalArgumentException(
          mounts.size() + " mounts resolved for " + mountSpecs.size() + " --mount values");
    }
  }

  @Override
  public String keyword() {
    return "run";
  }

  /** Whether {@link #mounts()} holds every {@code --mount} (always true without mounts). */
  public boolean mountsResolved() {
    return mounts.size() == mountSpecs.size();
  }

  /** Resolves the {@code --mount} options, expanding each value (BuildKit's setMountState). */
  @Override
  public Run expand(WordExpander expander) throws DockerfileException {
    List<Mount> resolved = new ArrayList<>(mountSpecs.size());
    for (String spec : mountSpecs) {
      try {
        resolved.add(MountParser.resolve(spec, expander));
      } catch (DockerfileException e) {
        throw e.atLine(location.startLine());
      }
    }
    return new Run(
        location, original, command, heredocs, mountSpecs, resolved, network, security);
  }
}
