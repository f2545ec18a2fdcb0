package io.zlayer.domain.build;

/** Go's {@code strconv} number parsing where BuildKit's behaviour depends on it. */
final class GoStrconv {
  private GoStrconv() {}

  /** {@code strconv.Atoi} on a 64-bit platform: optional sign, decimal digits; null on error. */
  static Long atoi(String s) {
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      i = 1;
    }
    if (i == s.length()) {
      return null;
    }
    for (int j = i; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(s.charAt(0) == '+' ? s.substring(1) : s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
