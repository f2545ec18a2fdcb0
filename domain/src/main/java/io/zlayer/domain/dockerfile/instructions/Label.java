package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Objects;

/**
 * {@code LABEL <key>=<value> …} (or the legacy {@code LABEL <key> <value>}).
 *
 * @param pairs the labels in the order written, keys and values unexpanded
 */
public record Label(SourceLocation location, String original, List<KeyValue> pairs)
    implements Instruction, Expandable<Label> {

  public Label {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    pairs = List.copyOf(pairs);
  }

  @Override
  public String keyword() {
    return "label";
  }

  /** Expands keys and values (BuildKit's expandKvpsInPlace). */
  @Override
  public Label expand(WordExpander expander) throws DockerfileException {
    return new Label(location, original,
        Env.expandPairs(pairs, new Expansion(expander, location)));
  }
}
