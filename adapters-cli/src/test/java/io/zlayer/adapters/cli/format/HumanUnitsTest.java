package io.zlayer.adapters.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanUnitsTest {
  @Test
  void sizesAsDockerImagesPrintsThem() {
    assertEquals("0B", HumanUnits.size(0));
    assertEquals("999B", HumanUnits.size(999));
    assertEquals("1kB", HumanUnits.size(1000));
    assertEquals("1.23kB", HumanUnits.size(1234));
    assertEquals("5.6MB", HumanUnits.size(5_600_000));
    assertEquals("5.59MB", HumanUnits.size(5_591_234));
    assertEquals("77.9MB", HumanUnits.size(77_860_000));
    assertEquals("123MB", HumanUnits.size(123_400_000));
    assertEquals("1.24GB", HumanUnits.size(1_243_500_000L));
    assertEquals("1.5TB", HumanUnits.size(1_500_000_000_000L));
  }

  @Test
  void aValueRoundingTo1000MovesToTheNextUnit() {
    // go-units prints "1e+03kB" here
    assertEquals("1MB", HumanUnits.size(999_600));
    assertEquals("999.9kB", HumanUnits.preciseSize(999_940));
    assertEquals("1MB", HumanUnits.preciseSize(999_960));
    assertEquals("1MB", HumanUnits.preciseSize(999_999));
  }

  @Test
  void preciseSizeHasFourDigits() {
    assertEquals("1.234kB", HumanUnits.preciseSize(1234));
    assertEquals("12.35MB", HumanUnits.preciseSize(12_345_678));
    assertEquals("0B", HumanUnits.preciseSize(0));
  }

  @Test
  void fixedSizeKeepsOneDecimal() {
    assertEquals("0B", HumanUnits.fixedSize(0));
    assertEquals("999B", HumanUnits.fixedSize(999));
    assertEquals("1.0kB", HumanUnits.fixedSize(1000));
    assertEquals("45.0MB", HumanUnits.fixedSize(45_000_000));
    assertEquals("12.3MB", HumanUnits.fixedSize(12_345_678));
    assertEquals("1.0MB", HumanUnits.fixedSize(999_960));
  }

  @Test
  void durationsAsGoUnitsTestsThem() {
    Duration day = Duration.ofDays(1);
    Duration week = Duration.ofDays(7);
    Duration month = Duration.ofDays(30);
    Duration year = Duration.ofDays(365);
    assertEquals("Less than a second", HumanUnits.duration(Duration.ofMillis(450)));
    assertEquals("Less than a second", HumanUnits.duration(Duration.ofSeconds(-5)));
    assertEquals("1 second", HumanUnits.duration(Duration.ofSeconds(1)));
    assertEquals("59 seconds", HumanUnits.duration(Duration.ofSeconds(59)));
    assertEquals("About a minute", HumanUnits.duration(Duration.ofSeconds(60)));
    assertEquals("3 minutes", HumanUnits.duration(Duration.ofMinutes(3)));
    assertEquals("35 minutes", HumanUnits.duration(Duration.ofSeconds(35 * 60 + 40)));
    assertEquals("59 minutes", HumanUnits.duration(Duration.ofMinutes(59)));
    assertEquals("About an hour", HumanUnits.duration(Duration.ofHours(1)));
    assertEquals("About an hour", HumanUnits.duration(Duration.ofMinutes(89)));
    assertEquals("2 hours", HumanUnits.duration(Duration.ofMinutes(91)));
    assertEquals("4 hours", HumanUnits.duration(Duration.ofMinutes(3 * 60 + 31)));
    assertEquals("24 hours", HumanUnits.duration(day));
    assertEquals("36 hours", HumanUnits.duration(day.plusHours(12)));
    assertEquals("2 days", HumanUnits.duration(day.multipliedBy(2)));
    assertEquals("13 days", HumanUnits.duration(day.multipliedBy(13).plusHours(5)));
    assertEquals("2 weeks", HumanUnits.duration(week.multipliedBy(2)));
    assertEquals("4 weeks", HumanUnits.duration(month));
    assertEquals("6 weeks", HumanUnits.duration(month.plus(week.multipliedBy(2))));
    assertEquals("2 months", HumanUnits.duration(month.multipliedBy(2)));
    assertEquals("5 months", HumanUnits.duration(month.multipliedBy(5).plus(week.multipliedBy(2))));
    assertEquals("24 months", HumanUnits.duration(month.multipliedBy(24)));
    assertEquals("2 years", HumanUnits.duration(month.multipliedBy(24).plus(week.multipliedBy(2))));
    assertEquals("3 years", HumanUnits.duration(year.multipliedBy(3).plus(month.multipliedBy(2))));
    assertEquals("56 years", HumanUnits.duration(Duration.ofDays(365L * 56 + 20)));
  }

  @Test
  void secondsWithOneDecimal() {
    assertEquals("0.0s", HumanUnits.seconds(Duration.ZERO));
    assertEquals("0.9s", HumanUnits.seconds(Duration.ofMillis(912)));
    assertEquals("12.3s", HumanUnits.seconds(Duration.ofMillis(12_345)));
    assertEquals("0.0s", HumanUnits.seconds(Duration.ofMillis(-5)));
  }
}
