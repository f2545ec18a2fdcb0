package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;

/**
 * {@code ENTRYPOINT <command>} or {@code ENTRYPOINT ["exec", "form"]}. Not expanded by the
 * builder.
 *
 * @param command the command; {@code ENTRYPOINT []} clears the inherited entrypoint
 */
public record Entrypoint(SourceLocation location, String original, CommandLine command)
    implements Instruction {

  public Entrypoint {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(command, "command");
  }

  @Override
  public String keyword() {
    return "entrypoint";
  }
}
