package io.zlayer.domain.dockerfile.shell;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of expanding one word.
 *
 * @param result the expanded word, with quotes removed and whitespace kept
 * @param words the expansion split into words as BuildKit's {@code ProcessWords} does
 * @param matched names referenced by the word that were set (in order of first reference)
 * @param unmatched names referenced by the word that were unset (in order of first reference)
 */
public record Expansion(
    String result, List<String> words, Set<String> matched, Set<String> unmatched) {

  public Expansion {
    Objects.requireNonNull(result, "result");
    words = List.copyOf(words);
    matched = Collections.unmodifiableSet(new LinkedHashSet<>(matched));
    unmatched = Collections.unmodifiableSet(new LinkedHashSet<>(unmatched));
  }
}
