package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.Objects;

/**
 * {@code WORKDIR <path>}.
 *
 * @param path the value as written, unexpanded
 */
public record Workdir(SourceLocation location, String original, String path)
    implements Instruction, Expandable<Workdir> {

  public Workdir {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String keyword() {
    return "workdir";
  }

  @Override
  public Workdir expand(WordExpander expander) throws DockerfileException {
    return new Workdir(location, original, new Expansion(expander, location).word(path));
  }
}
