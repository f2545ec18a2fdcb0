package io.zlayer.domain.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Go library behaviours the build package reproduces. */
class GoSemanticsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // Go's path.Clean test table
      "'' | .", "abc | abc", "abc/def | abc/def", "a/b/c | a/b/c", ". | .", ".. | ..",
      "../.. | ../..", "../../abc | ../../abc", "/abc | /abc", "/ | /", "abc/ | abc",
      "abc/def/ | abc/def", "/abc/ | /abc", "abc//def//ghi | abc/def/ghi", "//abc | /abc",
      "///abc | /abc", "abc/./def | abc/def", "/./abc/def | /abc/def", "abc/. | abc",
      "abc/def/ghi/../jkl | abc/def/jkl", "abc/def/../ghi/../jkl | abc/jkl", "abc/def/.. | abc",
      "abc/def/../.. | .", "/abc/def/../.. | /", "abc/def/../../.. | ..",
      "/abc/def/../../.. | /", "abc/def/../../../ghi/jkl/../../../mno | ../../mno",
      "abc/./../def | def", "abc//./../def | def", "abc/../../././../def | ../../def"})
  void cleanLikeGo(String path, String cleaned) {
    assertEquals(cleaned, GoPath.clean(path));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // BuildKit's TestNormalizeWorkdirUnix
      "'' | test | /test", "'' | /strippedWd | /strippedWd", "testing | '' | /testing",
      "testing | newTesting | /testing/newTesting",
      "/test | relative/path | /test/relative/path", "/test | '' | /test"})
  void normalizeWorkdirLikeBuildKit(String current, String wd, String result) {
    assertEquals(result, GoPath.workdir(current, wd));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 | 0s", "1 | 1ns", "1100 | 1.1µs", "2200000 | 2.2ms", "3300000000 | 3.3s",
      "60000000000 | 1m0s", "245000000000 | 4m5s", "245001000000 | 4m5.001s",
      "18367001000000 | 5h6m7.001s", "8000000000001 | 2h13m20.000000001s",
      "-1000000 | -1ms", "9223372036854775807 | 2562047h47m16.854775807s",
      "-9223372036854775808 | -2562047h47m16.854775808s"})
  void durationsLikeGo(long nanos, String text) {
    assertEquals(text, GoFormat.duration(nanos));
  }

  @Test
  void portSpecsLikeBuildKit() throws Exception {
    // BuildKit's convert_expose_test.go
    assertEquals(List.of("3333/tcp", "3334/tcp"),
        PortSpecs.parse("0.0.0.0:1234-1235:3333-3334/tcp"));
    for (String ipv6 : List.of("[2001:4860:0:2001::68]::333", "2001:4860:0:2001::68::333")) {
      assertEquals(List.of("333/tcp"), PortSpecs.parse(ipv6));
    }
    for (String ipv6 : List.of("[::1]:80:80", "::1:80:80", "::::80")) {
      assertEquals(List.of("80/tcp"), PortSpecs.parse(ipv6));
    }
    assertEquals(List.of("1234/tcp", "2345/udp", "3456/sctp"),
        PortSpecs.parse(List.of("1234/tcp", "2345/udp", "3456/sctp")));
    assertEquals(List.of("1234/tcp", "2345/udp", "3456/sctp"),
        PortSpecs.parse(List.of("1234:1234/tcp", "2345:2345/udp", "3456:3456/sctp")));
    assertEquals(List.of("1234/tcp", "2345/udp", "3456/sctp"), PortSpecs.parse(List.of(
        "0.0.0.0:1234:1234/tcp", "0.0.0.0:2345:2345/udp", "0.0.0.0:3456:3456/sctp")));
    assertEquals(List.of("1234/tcp", "1235/tcp", "1236/tcp", "2345/udp", "2346/udp",
        "2347/udp", "3456/sctp", "3457/sctp", "3458/sctp"),
        PortSpecs.parse(List.of("1234-1236:1234-1236/tcp", "2345-2347:2345-2347/udp",
            "0.0.0.0:3456-3458:3456-3458/sctp")));
    assertThrows(PortSpecs.InvalidPortSpec.class,
        () -> PortSpecs.parse("localhost:1234:1234/tcp"));
    assertThrows(PortSpecs.InvalidPortSpec.class,
        () -> PortSpecs.parse("localhost:1234-1236:1234-1236/tcp"));
  }

  @Test
  void aHostRangeForASinglePortIsAllowed() throws Exception {
    assertEquals(List.of("80/tcp"), PortSpecs.parse("8000-8010:80"));
  }

  @Test
  void bracketErrorsAreGosAddressErrors() {
    PortSpecs.InvalidPortSpec e = assertThrows(PortSpecs.InvalidPortSpec.class,
        () -> PortSpecs.parse("[::1:80:80"));
    assertEquals("invalid IP address [::1: address [::1:: missing ']' in address",
        e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1 | true", "255.255.255.255 | true", "256.0.0.1 | false", "01.2.3.4 | false",
      "1.2.3 | false", "1.2.3.4.5 | false", "::1 | true", ":: | true", "::ffff:1.2.3.4 | true",
      "1:2:3:4:5:6:7:8 | true", "1:2:3:4:5:6:7:8:9 | false", "1::2::3 | false",
      "12345::1 | false", "1:2:3:4:5:6:1.2.3.4 | true", "1:2:3:4:5:1.2.3.4 | false",
      "fe80::1%eth0 | false", "1:2:3:4:5:6:7::8 | false", "::1.2.3.4 | true",
      "1:2:3:4:5:6:7:: | true", "localhost | false", "'' | false"})
  void ipAddressesLikeGo(String ip, boolean valid) {
    assertEquals(valid, IpAddress.isValid(ip), ip);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // an absolute destination is not cleaned, so BuildKit appends to "/." as written
      "/app | ./ | /app/", "/app | x/. | /app/x/.", "/ | /. | /./.", "/a | '' | /a/",
      "/a | /b/. | /b/./."})
  void destinationsKeepTheirTrailingSlash(String workdir, String dest, String resolved) {
    assertEquals(resolved, GoPath.destination(workdir, dest));
  }

  @Test
  void atoi() {
    assertEquals(12L, GoStrconv.atoi("+12"));
    assertEquals(-3L, GoStrconv.atoi("-3"));
    assertEquals(null, GoStrconv.atoi("1_000"));
    assertEquals(null, GoStrconv.atoi("+"));
    assertEquals(null, GoStrconv.atoi("99999999999999999999"));
  }
}
