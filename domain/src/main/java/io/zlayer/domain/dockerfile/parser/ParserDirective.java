package io.zlayer.domain.dockerfile.parser;

/**
 * A parser directive from the top of a Dockerfile ({@code # syntax=…}, {@code # escape=…},
 * {@code # check=…}).
 *
 * @param name the directive name, lower-cased ({@code syntax}, {@code escape} or {@code check})
 * @param value the value as written, surrounding whitespace removed
 * @param line 1-based line of the directive
 */
public record ParserDirective(String name, String value, int line) {}
