package io.zlayer.domain.dockerfile.instructions;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration}, which Docker uses for HEALTHCHECK options: a signed sequence
 * of decimal numbers with a unit each ({@code 300ms}, {@code -1.5h}, {@code 2h45m}); units
 * {@code ns}, {@code us} ({@code µs}, {@code μs}), {@code ms}, {@code s}, {@code m}, {@code h}.
 */
final class GoDuration {
  private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63);
  private static final Map<String, Long> UNITS = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "\u00b5s", 1_000L,
      "\u03bcs", 1_000L,
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);

  private GoDuration() {}

  /** A parse failure carrying Go's error text. */
  static final class InvalidDuration extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidDuration(String message) {
      super(message, null, false, false);
    }
  }

  static Duration parse(String text) throws InvalidDuration {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigInteger total = BigInteger.ZERO;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!(c == '.' || isDigit(c))) {
        throw invalid(text);
      }
      int start = i;
      BigInteger whole = BigInteger.ZERO;
      while (i < s.length() && isDigit(s.charAt(i))) {
        whole = whole.multiply(BigInteger.TEN).add(BigInteger.valueOf(s.charAt(i) - '0'));
        if (whole.compareTo(LIMIT) > 0) {
          throw invalid(text);
        }
        i++;
      }
      boolean digitsBefore = i > start;
      long fraction = 0;
      double scale = 1;
      boolean digitsAfter = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fracStart = i;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
          int digit = s.charAt(i) - '0';
          if (!overflow) {
            if (fraction > (Long.MAX_VALUE - digit) / 10) {
              overflow = true;
            } else {
              fraction = fraction * 10 + digit;
              scale *= 10;
            }
          }
          i++;
        }
        digitsAfter = i > fracStart;
      }
      if (!digitsBefore && !digitsAfter) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < s.length() && !(s.charAt(i) == '.' || isDigit(s.charAt(i)))) {
        i++;
      }
      if (i == unitStart) {
        throw new InvalidDuration("time: missing unit in duration " + GoSyntax.timeQuote(text));
      }
      String unitText = s.substring(unitStart, i);
      Long unit = UNITS.get(unitText);
      if (unit == null) {
        throw new InvalidDuration("time: unknown unit " + GoSyntax.timeQuote(unitText)
            + " in duration " + GoSyntax.timeQuote(text));
      }
      BigInteger unitValue = BigInteger.valueOf(unit);
      if (whole.compareTo(LIMIT.divide(unitValue)) > 0) {
        throw invalid(text);
      }
      BigInteger v = whole.multiply(unitValue);
      if (fraction > 0) {
        v = v.add(BigInteger.valueOf((long) ((double) fraction * ((double) unit / scale))));
        if (v.compareTo(LIMIT) > 0) {
          throw invalid(text);
        }
      }
      total = total.add(v);
      if (total.compareTo(LIMIT) > 0) {
        throw invalid(text);
      }
    }
    if (negative) {
      return Duration.ofNanos(total.negate().longValue());
    }
    if (total.compareTo(LIMIT) >= 0) {
      throw invalid(text);
    }
    return Duration.ofNanos(total.longValue());
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static InvalidDuration invalid(String text) {
    return new InvalidDuration("time: invalid duration " + GoSyntax.timeQuote(text));
  }
}
