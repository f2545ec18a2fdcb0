package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code EXPOSE <port>[/<protocol>] …}.
 *
 * @param ports the port words as written, unexpanded, sorted as BuildKit sorts them
 */
public record Expose(SourceLocation location, String original, List<String> ports)
    implements Instruction, Expandable<Expose> {

  public Expose {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    ports = List.copyOf(ports);
  }

  @Override
  public String keyword() {
    return "expose";
  }

  /** Expands each word, which may split into several ports ({@code EXPOSE $PORTS}). */
  @Override
  public Expose expand(WordExpander expander) throws DockerfileException {
    Expansion x = new Expansion(expander, location);
    List<String> out = new ArrayList<>();
    for (String p : ports) {
      out.addAll(x.split(p));
    }
    return new Expose(location, original, out);
  }
}
