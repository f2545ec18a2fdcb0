package io.zlayer.domain.dockerfile.instructions;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * BuildKit's {@code util/suggest}: the "(did you mean X?)" hint for a mistyped word, the closest
 * option by Levenshtein distance when that distance is below 3.
 */
final class Suggestions {
  private static final int MAX_DISTANCE = 3;

  private Suggestions() {}

  /**
   * The closest option to {@code value}, if any is near enough. Empty when {@code value} equals
   * an option (the error was not about the spelling). Without case sensitivity the match takes
   * the case of {@code value} when that is all upper or all lower case.
   */
  static Optional<String> closest(String value, List<String> options, boolean caseSensitive) {
    String val = caseSensitive ? value : value.toLowerCase(Locale.ROOT);
    String match = null;
    int best = MAX_DISTANCE;
    for (String option : options) {
      String opt = caseSensitive ? option : option.toLowerCase(Locale.ROOT);
      if (val.equals(opt)) {
        return Optional.empty();
      }
      int distance = distance(val, opt);
      if (distance < best) {
        match = caseSensitive ? opt : matchCase(opt, value);
        best = distance;
      }
    }
    return Optional.ofNullable(match);
  }

  /** {@code detail} with the hint appended when there is one. */
  static String withHint(
      String detail, String value, List<String> options, boolean caseSensitive) {
    return closest(value, options, caseSensitive)
        .map(m -> detail + " (did you mean " + m + "?)")
        .orElse(detail);
  }

  private static String matchCase(String option, String original) {
    if (original.equals(original.toLowerCase(Locale.ROOT))) {
      return option.toLowerCase(Locale.ROOT);
    }
    if (original.equals(original.toUpperCase(Locale.ROOT))) {
      return option.toUpperCase(Locale.ROOT);
    }
    return option;
  }

  /** Levenshtein distance over code points, unit costs. */
  static int distance(String a, String b) {
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
