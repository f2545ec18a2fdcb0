package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.Objects;

/**
 * {@code STOPSIGNAL <signal>}.
 *
 * @param signal the value as written, unexpanded
 */
public record StopSignal(SourceLocation location, String original, String signal)
    implements Instruction, Expandable<StopSignal> {

  public StopSignal {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(signal, "signal");
  }

  @Override
  public String keyword() {
    return "stopsignal";
  }

  @Override
  public StopSignal expand(WordExpander expander) throws DockerfileException {
    return new StopSignal(location, original, new Expansion(expander, location).word(signal));
  }
}
