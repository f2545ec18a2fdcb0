package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.parser.GoQuote;
import java.util.List;

/**
 * Builds the canonical description of a step for {@link CacheFacts}: the keyword, then one line
 * per field, {@code name value}, strings Go-quoted so that no value can fake a line break.
 */
final class CanonicalText {
  private final StringBuilder sb;

  CanonicalText(String keyword) {
    sb = new StringBuilder(keyword);
  }

  CanonicalText add(String name, String value) {
    sb.append('\n').append(name).append(' ').append(GoQuote.quote(value));
    return this;
  }

  CanonicalText add(String name, List<String> values) {
    sb.append('\n').append(name).append(' ').append(GoQuote.quoteList(values));
    return this;
  }

  CanonicalText add(String name, boolean value) {
    sb.append('\n').append(name).append(' ').append(value);
    return this;
  }

  CanonicalText add(String name, long value) {
    sb.append('\n').append(name).append(' ').append(value);
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
