package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;

/**
 * {@code CMD <command>} or {@code CMD ["exec", "form"]}: the container's default command. Not
 * expanded by the builder.
 *
 * @param command the command; a bare {@code CMD} is the shell form of an empty script
 */
public record Cmd(SourceLocation location, String original, CommandLine command)
    implements Instruction {

  public Cmd {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(command, "command");
  }

  @Override
  public String keyword() {
    return "cmd";
  }
}
