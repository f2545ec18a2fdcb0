package io.zlayer.domain.dockerfile.instructions;

import static io.zlayer.domain.dockerfile.instructions.InstructionParserTest.assertError;
import static io.zlayer.domain.dockerfile.instructions.InstructionParserTest.parse;
import static io.zlayer.domain.dockerfile.instructions.Nodes.instruction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthcheckTest {

  private static HealthcheckConfig.Check check(Nodes.Builder node) throws Exception {
    return assertInstanceOf(HealthcheckConfig.Check.class,
        parse(node.build(), Healthcheck.class).config());
  }

  @Test
  void noneDisablesTheCheck() throws Exception {
    Healthcheck hc = parse(instruction("HEALTHCHECK").args("NONE").build(), Healthcheck.class);
    assertEquals(new HealthcheckConfig.Disabled(), hc.config());
    assertEquals(List.of("NONE"), hc.config().test());
    assertEquals(new HealthcheckConfig.Disabled(),
        parse(instruction("HEALTHCHECK").args("none").build(), Healthcheck.class).config());
  }

  @Test
  void noneTakesNoArguments() {
    assertError("HEALTHCHECK NONE takes no arguments",
        instruction("HEALTHCHECK").args("NONE", "x").line(12).build());
  }

  @Test
  void noneIgnoresFlagsAsBuildKitDoes() throws Exception {
    assertEquals(new HealthcheckConfig.Disabled(), parse(instruction("HEALTHCHECK")
        .flags("--bogus").args("NONE").build(), Healthcheck.class).config());
  }

  @Test
  void shellFormBecomesCmdShell() throws Exception {
    HealthcheckConfig.Check c = check(instruction("HEALTHCHECK").args("CMD", "hello world"));
    assertEquals(List.of("CMD-SHELL", "hello world"), c.test());
    assertEquals(Duration.ZERO, c.interval());
    assertEquals(0, c.retries());
  }

  @Test
  void buildkitsSplitShellArgumentsAreJoined() throws Exception {
    HealthcheckConfig.Check c = check(instruction("HEALTHCHECK").args("CMD", "hello", "world"));
    assertEquals(List.of("CMD-SHELL", "hello world"), c.test());
  }

  @Test
  void execForm() throws Exception {
    HealthcheckConfig.Check c = check(instruction("HEALTHCHECK").args("cmd", "curl", "-f",
        "http://localhost/").json());
    assertEquals(List.of("CMD", "curl", "-f", "http://localhost/"), c.test());
  }

  @Test
  void allOptions() throws Exception {
    HealthcheckConfig.Check c = check(instruction("HEALTHCHECK").flags("--interval=5s",
        "--timeout=3s", "--start-period=1m30s", "--start-interval=500ms", "--retries=3")
        .args("CMD", "/app/check.sh --quiet"));
    assertEquals(Duration.ofSeconds(5), c.interval());
    assertEquals(Duration.ofSeconds(3), c.timeout());
    assertEquals(Duration.ofSeconds(90), c.startPeriod());
    assertEquals(Duration.ofMillis(500), c.startInterval());
    assertEquals(3, c.retries());
  }

  @Test
  void zeroValuesMeanUnset() throws Exception {
    HealthcheckConfig.Check c = check(instruction("HEALTHCHECK").flags("--start-period=0s",
        "--start-interval=0s", "--interval=5s", "--timeout=0", "--retries=0")
        .args("CMD", "foo").json());
    assertEquals(Duration.ZERO, c.startPeriod());
    assertEquals(Duration.ZERO, c.startInterval());
    assertEquals(Duration.ofSeconds(5), c.interval());
    assertEquals(Duration.ZERO, c.timeout());
    assertEquals(0, c.retries());
  }

  @Test
  void durationsBelowOneMillisecondAreRejected() {
    assertError("Interval \"interval\" cannot be less than 1ms",
        instruction("HEALTHCHECK").flags("--interval=50ns").args("CMD", "x").line(4).build());
    assertError("Interval \"start-interval\" cannot be less than 1ms",
        instruction("HEALTHCHECK").flags("--start-interval=999us").args("CMD", "x").build());
    assertError("Interval \"timeout\" cannot be less than 1ms",
        instruction("HEALTHCHECK").flags("--timeout=-1s").args("CMD", "x").build());
  }

  @Test
  void exactlyOneMillisecondIsAccepted() throws Exception {
    assertEquals(Duration.ofMillis(1), check(instruction("HEALTHCHECK")
        .flags("--interval=1ms").args("CMD", "x")).interval());
  }

  @Test
  void malformedDurationsUseGosErrorText() {
    assertError("time: unknown unit \" seconds\" in duration \"5 seconds\"",
        instruction("HEALTHCHECK").flags("--interval=5 seconds").args("CMD", "x").build());
    assertError("time: invalid duration \"five\"",
        instruction("HEALTHCHECK").flags("--interval=five").args("CMD", "x").build());
    assertError("time: missing unit in duration \"30\"",
        instruction("HEALTHCHECK").flags("--timeout=30").args("CMD", "x").build());
    assertError("time: unknown unit \"sec\" in duration \"30sec\"",
        instruction("HEALTHCHECK").flags("--start-period=30sec").args("CMD", "x").build());
  }

  @Test
  void retriesMustBeANonNegative32BitInteger() {
    assertError("strconv.ParseInt: parsing \"three\": invalid syntax",
        instruction("HEALTHCHECK").flags("--retries=three").args("CMD", "x").build());
    assertError("strconv.ParseInt: parsing \"4294967296\": value out of range",
        instruction("HEALTHCHECK").flags("--retries=4294967296").args("CMD", "x").build());
    assertError("--retries cannot be negative (-1)",
        instruction("HEALTHCHECK").flags("--retries=-1").args("CMD", "x").build());
  }

  @Test
  void retriesAcceptsAPlusSign() throws Exception {
    assertEquals(7, check(instruction("HEALTHCHECK").flags("--retries=+7").args("CMD", "x"))
        .retries());
  }

  @Test
  void typeAndCommandErrors() {
    assertError("Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)",
        instruction("HEALTHCHECK").args("CONNECT", "TCP 7000").line(10).build());
    assertError("Missing command after HEALTHCHECK CMD",
        instruction("HEALTHCHECK").args("CMD").build());
    assertError("Missing command after HEALTHCHECK CMD",
        instruction("HEALTHCHECK").args("CMD").json().build());
  }

  @Test
  void flagsAreCheckedBeforeTheType() {
    assertError("unknown flag: --intervall (did you mean interval?)",
        instruction("HEALTHCHECK").flags("--intervall=5s").args("CONNECT", "x").build());
  }
}
