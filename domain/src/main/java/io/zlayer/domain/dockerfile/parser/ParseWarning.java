package io.zlayer.domain.dockerfile.parser;

/**
 * A problem BuildKit's parser reports without failing (today: an empty line inside a line
 * continuation, which BuildKit says will become an error in a future release).
 *
 * @param line 1-based line BuildKit attributes the warning to (the instruction's last line)
 * @param message BuildKit's text, e.g. {@code Empty continuation line found in: RUN a b}
 */
public record ParseWarning(int line, String message) {}
