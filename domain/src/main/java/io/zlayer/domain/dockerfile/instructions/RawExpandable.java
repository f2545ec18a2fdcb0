package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;

/**
 * COPY/ADD heredoc bodies, which BuildKit expands with a lexer that keeps quotes and escapes
 * ({@code SupportsSingleWordExpansionRaw}). Only bodies whose delimiter was unquoted change.
 *
 * @param <T> the instruction type returned
 */
public interface RawExpandable<T extends Instruction> {

  /** The same instruction with its expandable inline contents run through {@code rawExpander}. */
  T expandRaw(WordExpander rawExpander) throws DockerfileException;
}
