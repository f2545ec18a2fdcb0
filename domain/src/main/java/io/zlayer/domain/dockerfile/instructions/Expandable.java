package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;

/**
 * An instruction whose fields the builder expands with the shell lexer before dispatching it
 * (BuildKit's {@code SupportsSingleWordExpansion}, plus EXPOSE, FROM and RUN mounts, which
 * BuildKit expands in its converter).
 *
 * @param <T> the instruction type returned, with its fields expanded
 */
public interface Expandable<T extends Instruction> {

  /**
   * The same instruction with its expandable fields expanded. Errors are attributed to the
   * instruction's line.
   */
  T expand(WordExpander expander) throws DockerfileException;
}
