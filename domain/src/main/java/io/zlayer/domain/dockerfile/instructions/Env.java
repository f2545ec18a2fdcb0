package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code ENV <key>=<value> …} (or the legacy {@code ENV <key> <value>}).
 *
 * @param pairs the variables in the order written, keys and values unexpanded
 */
public record Env(SourceLocation location, String original, List<KeyValue> pairs)
    implements Instruction, Expandable<Env> {

  public Env {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    pairs = List.copyOf(pairs);
  }

  @Override
  public String keyword() {
    return "env";
  }

  /** Expands keys and values (BuildKit's expandKvpsInPlace). */
  @Override
  public Env expand(WordExpander expander) throws DockerfileException {
    return new Env(location, original, expandPairs(pairs, new Expansion(expander, location)));
  }

  static List<KeyValue> expandPairs(List<KeyValue> pairs, Expansion x)
      throws DockerfileException {
    List<KeyValue> out = new ArrayList<>(pairs.size());
    for (KeyValue kv : pairs) {
      String key = x.word(kv.key());
      out.add(new KeyValue(key, x.word(kv.value()), kv.legacyForm()));
    }
    return out;
  }
}
