package io.zlayer.adapters.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/**
 * Sizes and durations as people read them, in Docker's conventions (the {@code go-units}
 * package): decimal units ({@code 1kB = 1000B}) and "3 minutes"-style ages.
 */
public final class HumanUnits {
  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

  private HumanUnits() {}

  /**
   * {@code docker images}' SIZE: three significant digits, trailing zeros dropped
   * ({@code 5.6MB}, {@code 77.9MB}, {@code 123MB}, {@code 1.24GB}, {@code 0B}). Unlike Docker,
   * a value that rounds up to 1000 moves to the next unit ({@code 1MB}, never {@code 1e+03kB}).
   */
  public static String size(long bytes) {
    return significant(bytes, 3);
  }

  /** Four significant digits, as Docker's {@code HumanSize} ({@code 1.234kB}). */
  public static String preciseSize(long bytes) {
    return significant(bytes, 4);
  }

  private static String significant(long bytes, int digits) {
    double value = Math.max(bytes, 0);
    int unit = 0;
    while (value >= 1000 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    MathContext context = new MathContext(digits, RoundingMode.HALF_EVEN);
    BigDecimal rounded = new BigDecimal(value).round(context);
    if (rounded.compareTo(BigDecimal.valueOf(1000)) >= 0 && unit < UNITS.length - 1) {
      rounded = rounded.divide(BigDecimal.valueOf(1000)).round(context);
      unit++;
    }
    String text = rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString();
    return text + UNITS[unit];
  }

  /**
   * A size with exactly one decimal ({@code 12.3MB}, {@code 45.0MB}; bytes without decimals),
   * for progress columns whose width should not jitter.
   */
  public static String fixedSize(long bytes) {
    if (bytes < 1000) {
      return Math.max(bytes, 0) + "B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1000 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    if (value >= 999.95 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f%s", value, UNITS[unit]);
  }

  /**
   * Docker's {@code HumanDuration}: "Less than a second", "1 second", "47 seconds", "About a
   * minute", "35 minutes", "About an hour", "4 hours", "13 days", "6 weeks", "5 months",
   * "3 years".
   */
  public static String duration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) {
      return "Less than a second";
    }
    if (seconds == 1) {
      return "1 second";
    }
    if (seconds < 60) {
      return seconds + " seconds";
    }
    long minutes = seconds / 60;
    if (minutes == 1) {
      return "About a minute";
    }
    if (minutes < 60) {
      return minutes + " minutes";
    }
    double exactHours = seconds / 3600.0 + d.getNano() / 3.6e12;
    long hours = Math.round(exactHours);
    if (hours == 1) {
      return "About an hour";
    }
    if (hours < 48) {
      return hours + " hours";
    }
    if (hours < 24 * 7 * 2) {
      return hours / 24 + " days";
    }
    if (hours < 24 * 30 * 2) {
      return hours / 24 / 7 + " weeks";
    }
    if (hours < 24 * 365 * 2) {
      return hours / 24 / 30 + " months";
    }
    return (long) exactHours / 24 / 365 + " years";
  }

  /** Seconds with one decimal, as BuildKit prints step times: {@code 0.0s}, {@code 12.3s}. */
  public static String seconds(Duration d) {
    long millis = Math.max(d.toMillis(), 0);
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
