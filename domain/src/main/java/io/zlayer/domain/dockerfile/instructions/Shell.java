package io.zlayer.domain.dockerfile.instructions;

import java.util.List;
import java.util.Objects;

/**
 * {@code SHELL ["executable", "parameters"]}: the shell for later shell-form commands (JSON form
 * only). Not expanded by the builder.
 *
 * @param shell the shell command, never empty
 */
public record Shell(SourceLocation location, String original, List<String> shell)
    implements Instruction {

  public Shell {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    shell = List.copyOf(shell);
    if (shell.isEmpty()) {
      throw new IllegalArgumentException("SHELL needs at least one word");
    }
  }

  @Override
  public String keyword() {
    return "shell";
  }
}
