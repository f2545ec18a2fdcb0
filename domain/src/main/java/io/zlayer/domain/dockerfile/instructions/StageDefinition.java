package io.zlayer.domain.dockerfile.instructions;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One build stage: its FROM and the instructions up to the next FROM (BuildKit's {@code Stage}).
 *
 * @param index 0-based position in the Dockerfile ({@code COPY --from=0} refers to it)
 * @param from the FROM instruction that starts the stage
 * @param instructions the stage's instructions in order, FROM excluded
 */
public record StageDefinition(int index, From from, List<Instruction> instructions) {

  public StageDefinition {
    Objects.requireNonNull(from, "from");
    instructions = List.copyOf(instructions);
    if (index < 0) {
      throw new IllegalArgumentException("negative stage index " + index);
    }
    for (Instruction i : instructions) {
      if (i instanceof From) {
        throw new IllegalArgumentException("a stage cannot contain another FROM");
      }
    }
  }

  /** The lower-cased {@code AS} name, if the stage has one. */
  public Optional<String> name() {
    return from.stageName();
  }
}
