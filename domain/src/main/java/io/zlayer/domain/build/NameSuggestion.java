package io.zlayer.domain.build;

import java.util.Collection;
import java.util.Optional;

/**
 * BuildKit's {@code util/suggest} (case-sensitive): appends {@code (did you mean X?)} to a
 * message when one of the known names is within edit distance 2 of the mistyped one.
 */
final class NameSuggestion {
  private static final int MAX_DISTANCE = 3;

  private NameSuggestion() {}

  /** {@code detail}, with a hint for {@code value} among {@code options} when there is one. */
  static String wrap(String detail, String value, Collection<String> options) {
    return closest(value, options).map(m -> detail + " (did you mean " + m + "?)").orElse(detail);
  }

  /** BuildKit's {@code wrapSuggestAny}: the hint for the first value that has one. */
  static String wrap(String detail, Collection<String> values, Collection<String> options) {
    for (String value : values) {
      Optional<String> match = closest(value, options);
      if (match.isPresent()) {
        return detail + " (did you mean " + match.get() + "?)";
      }
    }
    return detail;
  }

  static Optional<String> closest(String value, Collection<String> options) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String match = null;
    int best = MAX_DISTANCE;
    for (String option : options) {
      if (option.equals(value)) {
        return Optional.empty();
      }
      int distance = distance(value, option);
      if (distance < best) {
        match = option;
        best = distance;
      }
    }
    return Optional.ofNullable(match);
  }

  /** Levenshtein distance over code points. */
  private static int distance(String a, String b) {
    int[] s = a.codePoints().toArray();
    int[] t = b.codePoints().toArray();
    int[] prev = new int[t.length + 1];
    int[] cur = new int[t.length + 1];
    for (int j = 0; j <= t.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= s.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= t.length; j++) {
        int cost = s[i - 1] == t[j - 1] ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] tmp = prev;
      prev = cur;
      cur = tmp;
    }
    return prev[t.length];
  }
}
