package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.parser.GoQuote;
import java.util.List;

/** The few Go {@code fmt} renderings BuildKit's history strings use. */
final class GoFormat {
  private GoFormat() {}

  /** {@code %v} of a {@code []string}: {@code [a b]}. */
  static String list(List<String> values) {
    return "[" + String.join(" ", values) + "]";
  }

  /** {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
  static String quotedList(List<String> values) {
    return GoQuote.quoteList(values);
  }

  /** {@code time.Duration.String()} for a count of nanoseconds: {@code 1m30s}, {@code 1.5ms}. */
  static String duration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    boolean negative = nanos < 0;
    // Long.MIN_VALUE has no positive counterpart; Go prints it via an unsigned value.
    java.math.BigInteger u = java.math.BigInteger.valueOf(nanos).abs();
    StringBuilder out = new StringBuilder();
    long second = 1_000_000_000L;
    if (u.compareTo(java.math.BigInteger.valueOf(second)) < 0) {
      long v = u.longValue();
      if (v < 1_000L) {
        out.append(v).append("ns");
      } else if (v < 1_000_000L) {
        out.append(fraction(v, 3)).append("µs");
      } else {
        out.append(fraction(v, 6)).append("ms");
      }
    } else {
      java.math.BigInteger[] secs = u.divideAndRemainder(java.math.BigInteger.valueOf(second));
      String frac = fractionDigits(secs[1].longValue(), 9);
      long s = secs[0].longValue();
      StringBuilder tail = new StringBuilder();
      tail.insert(0, s % 60 + frac + "s");
      long minutes = s / 60;
      if (minutes > 0) {
        tail.insert(0, minutes % 60 + "m");
        long hours = minutes / 60;
        if (hours > 0) {
          tail.insert(0, hours + "h");
        }
      }
      out.append(tail);
    }
    return negative ? "-" + out : out.toString();
  }

  /** {@code v} divided by 10^digits, printed with the fraction's trailing zeros cut. */
  private static String fraction(long v, int digits) {
    long pow = 1;
    for (int i = 0; i < digits; i++) {
      pow *= 10;
    }
    return (v / pow) + fractionDigits(v % pow, digits);
  }

  private static String fractionDigits(long remainder, int digits) {
    if (remainder == 0) {
      return "";
    }
    String s = String.format("%0" + digits + "d", remainder).replaceAll("0+$", "");
    return "." + s;
  }
}
