package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs a {@link WordExpander} over instruction fields, attributing failures to the line. */
final class Expansion {
  private final WordExpander expander;
  private final int line;

  Expansion(WordExpander expander, SourceLocation location) {
    this.expander = expander;
    this.line = location.startLine();
  }

  String word(String word) throws DockerfileException {
    try {
      return expander.expandWord(word);
    } catch (DockerfileException e) {
      throw e.atLine(line);
    }
  }

  /** Expands a present value; an empty result counts as absent, as BuildKit's "" does. */
  Optional<String> optional(Optional<String> value) throws DockerfileException {
    if (value.isEmpty()) {
      return value;
    }
    String expanded = word(value.get());
    return expanded.isEmpty() ? Optional.empty() : Optional.of(expanded);
  }

  List<String> each(List<String> words) throws DockerfileException {
    List<String> out = new ArrayList<>(words.size());
    for (String w : words) {
      out.add(word(w));
    }
    return out;
  }

  List<String> split(String word) throws DockerfileException {
    try {
      return expander.expandWords(word);
    } catch (DockerfileException e) {
      throw e.atLine(line);
    }
  }

  DockerfileException error(String detail) {
    return new DockerfileException(line, detail);
  }
}
