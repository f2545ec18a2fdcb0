package io.zlayer.domain.dockerfile.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from Go's time.ParseDuration tests. */
class GoDurationTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0|0", "5s|5000000000", "30s|30000000000", "1478s|1478000000000", "-5s|-5000000000",
      "+5s|5000000000", "-0|0", "+0|0", "5.0s|5000000000", "5.6s|5600000000",
      "5.s|5000000000", ".5s|500000000", "1.0s|1000000000", "1.00s|1000000000",
      "1.004s|1004000000", "1.0040s|1004000000", "100.00100s|100001000000", "10ns|10",
      "11us|11000", "12\u00b5s|12000", "12\u03bcs|12000", "13ms|13000000", "14s|14000000000",
      "15m|900000000000", "16h|57600000000000", "3h30m|12600000000000",
      "10.5s4m|250500000000", "-2m3.4s|-123400000000", "1h2m3s4ms5us6ns|3723004005006",
      "39h9m14.425s|140954425000000", "52763797000ns|52763797000",
      "0.3333333333333333333h|1200000000000", "9007199254740993ns|9007199254740993",
      "9223372036854775807ns|9223372036854775807", "9223372036854775.807us|9223372036854775807",
      "-9223372036854775808ns|-9223372036854775808", "0.100000000000000000000h|360000000000",
      "0.830103483285477580700h|2988372539827"})
  void valid(String text, long nanos) throws Exception {
    assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "''|time: invalid duration \"\"",
      "3|time: missing unit in duration \"3\"",
      "-|time: invalid duration \"-\"",
      "s|time: invalid duration \"s\"",
      ".|time: invalid duration \".\"",
      "-.|time: invalid duration \"-.\"",
      ".s|time: invalid duration \".s\"",
      "+.s|time: invalid duration \"+.s\"",
      "1d|time: unknown unit \"d\" in duration \"1d\"",
      "1.1.1s|time: missing unit in duration \"1.1.1s\"",
      "3000000h|time: invalid duration \"3000000h\"",
      "9223372036854775808ns|time: invalid duration \"9223372036854775808ns\"",
      "9223372036854775.808us|time: invalid duration \"9223372036854775.808us\"",
      "9223372036854ms775us808ns|time: invalid duration \"9223372036854ms775us808ns\"",
      "-9223372036854775809ns|time: invalid duration \"-9223372036854775809ns\"",
      "1\u00e9s|time: unknown unit \"\\xc3\\xa9s\" in duration \"1\\xc3\\xa9s\""})
  void invalid(String text, String message) {
    GoDuration.InvalidDuration e =
        assertThrows(GoDuration.InvalidDuration.class, () -> GoDuration.parse(text));
    assertEquals(message, e.getMessage());
  }
}
