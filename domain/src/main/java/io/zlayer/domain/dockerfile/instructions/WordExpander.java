package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;

/**
 * Variable expansion as the builder applies it to instruction fields (BuildKit's shell lexer with
 * the current ARG/ENV environment). Implemented by the shell lexer; instructions only call it.
 */
public interface WordExpander {

  /** Expands one word to one word ({@code ProcessWord}): quotes removed, variables replaced. */
  String expandWord(String word) throws DockerfileException;

  /** Expands one word and splits the result into words ({@code ProcessWords}). */
  List<String> expandWords(String word) throws DockerfileException;
}
