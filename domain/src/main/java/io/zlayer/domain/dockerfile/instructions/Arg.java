package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code ARG <name>[=<default>] …}.
 *
 * @param args the declared names in order, with their unexpanded defaults
 */
public record Arg(SourceLocation location, String original, List<ArgDefinition> args)
    implements Instruction, Expandable<Arg> {

  public Arg {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    args = List.copyOf(args);
  }

  @Override
  public String keyword() {
    return "arg";
  }

  /** Expands names and defaults (a missing default stays missing). */
  @Override
  public Arg expand(WordExpander expander) throws DockerfileException {
    Expansion x = new Expansion(expander, location);
    List<ArgDefinition> out = new ArrayList<>(args.size());
    for (ArgDefinition a : args) {
      String name = x.word(a.name());
      Optional<String> value =
          a.defaultValue().isPresent() ? Optional.of(x.word(a.defaultValue().get()))
              : Optional.empty();
      out.add(new ArgDefinition(name, value));
    }
    return new Arg(location, original, out);
  }
}
