package io.zlayer.domain.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.UsageException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {
  private static final Platform AMD64_HOST = Platform.of("linux", "amd64");
  private static final Platform ARM_V6_HOST = Platform.of("linux", "arm", "v6");
  private static final Platform ARM_V7_HOST = Platform.of("linux", "arm", "v7");

  private static Platform parse(String s) throws UsageException {
    return Platform.parse(s, AMD64_HOST);
  }

  private static Platform p(String os, String arch, String variant) {
    return new Platform(os, arch, Optional.ofNullable(variant), Optional.empty());
  }

  // containerd platforms_test.go TestParseSelector, with the host linux/amd64
  @ParameterizedTest
  @CsvSource({
      // input, os, arch, variant ('-' none), formatted
      "linux/arm64, linux, arm64, -, linux/arm64",
      "linux/arm64/v8, linux, arm64, v8, linux/arm64/v8",
      "linux/aarch64/8, linux, arm64, v8, linux/arm64/v8",
      "linux/arm64/v9.0, linux, arm64, v9, linux/arm64/v9",
      "linux/arm, linux, arm, -, linux/arm",
      "linux/arm/v6, linux, arm, v6, linux/arm/v6",
      "linux/arm/v7, linux, arm, v7, linux/arm/v7",
      "linux/arm/7, linux, arm, v7, linux/arm/v7",
      "linux/armhf, linux, arm, -, linux/arm",
      "linux/armel, linux, arm, v6, linux/arm/v6",
      "arm, linux, arm, -, linux/arm",
      "armel, linux, arm, v6, linux/arm/v6",
      "armhf, linux, arm, -, linux/arm",
      "Aarch64, linux, arm64, -, linux/arm64",
      "arm64, linux, arm64, -, linux/arm64",
      "x86_64, linux, amd64, -, linux/amd64",
      "x86-64, linux, amd64, -, linux/amd64",
      "Linux/x86_64, linux, amd64, -, linux/amd64",
      "linux/amd64/v1, linux, amd64, -, linux/amd64",
      "linux/amd64/v3, linux, amd64, v3, linux/amd64/v3",
      "i386, linux, 386, -, linux/386",
      "i686, linux, 386, -, linux/386",
      "linux, linux, amd64, -, linux/amd64",
      "s390x, linux, s390x, -, linux/s390x",
      "linux/s390x, linux, s390x, -, linux/s390x",
      "linux/riscv64, linux, riscv64, -, linux/riscv64",
      "macOS, darwin, amd64, -, darwin/amd64",
      "windows, windows, amd64, -, windows/amd64",
      "windows(), windows, amd64, -, windows/amd64",
      "freebsd/amd64, freebsd, amd64, -, freebsd/amd64",
      "linux/mips64le/r6, linux, mips64le, r6, linux/mips64le/r6",
      "plan9/Some_Arch, plan9, some_arch, -, plan9/some_arch",
  })
  void parses(String input, String os, String arch, String variant, String formatted)
      throws Exception {
    Platform platform = parse(input);
    assertEquals(p(os, arch, variant.equals("-") ? null : variant), platform);
    assertEquals(formatted, platform.toString());
    assertEquals(platform, parse(formatted), "formatted output parses back to the same value");
    assertTrue(platform.matches(platform));
  }

  @Test
  void osVersion() throws Exception {
    Platform windows = parse("windows(10.0.17763)");
    assertEquals(Optional.of("10.0.17763"), windows.osVersion());
    assertEquals("windows/amd64", windows.toString());
    assertEquals("windows(10.0.17763)/amd64", windows.formatWithOsVersion());
    assertEquals(windows, parse(windows.formatWithOsVersion()));

    Platform escaped = parse("windows(10.0.17763%2Bbuild.42)/amd64");
    assertEquals(Optional.of("10.0.17763+build.42"), escaped.osVersion());
    assertEquals("windows(10.0.17763%2Bbuild.42)/amd64", escaped.formatWithOsVersion());
    assertEquals(Optional.of("50%done"), parse("windows(50%25done)").osVersion());
    Platform special = new Platform("windows", "amd64", Optional.empty(), Optional.of("1.0(b)/c"));
    assertEquals("windows(1.0%28b%29%2Fc)/amd64", special.formatWithOsVersion());
  }

  @Test
  void loneOsTakesTheHostArchitecture() throws Exception {
    assertEquals(p("linux", "arm", "v6"), Platform.parse("linux", ARM_V6_HOST));
    assertEquals(p("linux", "arm", null), Platform.parse("linux", ARM_V7_HOST));
    assertEquals(p("darwin", "arm64", null), Platform.parse("darwin", Platform.of("linux",
        "arm64")));
  }

  @Test
  void loneArchitectureTakesTheHostOs() throws Exception {
    assertEquals(p("windows", "arm64", null),
        Platform.parse("arm64", Platform.of("windows", "amd64")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "/linux/arm", "linux/arm/", "linux /arm", "linux/&arm", "linux/arm/foo/bar", "*",
      "linux/*", "*/arm64", "unknownthing", "linux(+gpu)", "windows(10.0+win32k)", "linux(",
      "linux)1(", "linux(a(b))", "windows(50%zzdone)", "linux//arm",
  })
  void rejects(String input) {
    UsageException e = assertThrows(UsageException.class, () -> parse(input));
    assertTrue(e.getMessage().startsWith("invalid platform \"" + input + "\": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void errorMessages() {
    assertEquals("invalid platform \"x/y/z/w\": too many components, expected"
        + " <os>[/<arch>[/<variant>]]",
        assertThrows(UsageException.class, () -> parse("x/y/z/w")).getMessage());
    assertEquals("invalid platform \"foo\": unknown operating system or architecture",
        assertThrows(UsageException.class, () -> parse("foo")).getMessage());
  }

  @Test
  void normalization() {
    assertEquals(p("linux", "arm64", null), p("linux", "aarch64", "v8").normalized());
    assertEquals(p("linux", "arm", "v7"), p("linux", "arm", null).normalized());
    assertEquals(p("linux", "arm", "v7"), p("linux", "armhf", null).normalized());
    assertEquals(p("linux", "arm", "v6"), p("linux", "armel", null).normalized());
    assertEquals(p("linux", "amd64", null), p("Linux", "X86_64", "v1").normalized());
    assertEquals(p("linux", "386", null), p("linux", "i386", "whatever").normalized());
    assertEquals(p("darwin", "arm64", null), p("macos", "arm64", null).normalized());
  }

  // platforms_test.go: the "matches" lists of TestParseSelector
  @ParameterizedTest
  @CsvSource({
      "linux/arm64, linux, aarch64, -",
      "linux/arm64, linux, aarch64, v8",
      "linux/arm64, linux, arm64, v8",
      "linux/arm64/v8, linux, aarch64, -",
      "linux/arm64/v8, linux, arm64, -",
      "linux/arm, linux, arm, v7",
      "linux/arm, linux, armhf, -",
      "linux/arm, linux, arm, 7",
      "linux/arm/v6, linux, armel, -",
      "linux/arm/v7, linux, arm, -",
      "linux/arm/v7, linux, armhf, -",
      "linux/amd64, Linux, x86_64, -",
  })
  void matches(String specifier, String os, String arch, String variant) throws Exception {
    assertTrue(parse(specifier).matches(p(os, arch, variant.equals("-") ? null : variant)));
  }

  @ParameterizedTest
  @CsvSource({
      "linux/arm64, linux, amd64, -",
      "linux/arm64, linux, arm64, v9",
      "linux/arm, linux, arm, v6",
      "linux/arm/v6, linux, arm, -",
      "linux/amd64, windows, amd64, -",
      "linux/amd64, linux, amd64, v3",
  })
  void doesNotMatch(String specifier, String os, String arch, String variant) throws Exception {
    assertFalse(parse(specifier).matches(p(os, arch, variant.equals("-") ? null : variant)));
  }

  @Test
  void windowsOsVersionMatching() throws Exception {
    Platform ltsc2019 = parse("windows(10.0.17763)/amd64");
    Platform ltsc2022 = parse("windows(10.0.20348)/amd64");
    Platform newerHost = parse("windows(10.0.26100)/amd64");
    Platform anyWindows = parse("windows/amd64");
    assertTrue(ltsc2019.matches(parse("windows(10.0.17763.1234)/amd64")));
    assertFalse(ltsc2019.matches(ltsc2022));
    assertTrue(ltsc2022.matches(ltsc2022));
    assertFalse(ltsc2022.matches(ltsc2019));
    assertTrue(newerHost.matches(ltsc2022), "hosts after 2022 run the 2022 ABI");
    assertFalse(ltsc2022.matches(newerHost));
    assertTrue(ltsc2019.matches(anyWindows), "no version on the other side matches");
    assertTrue(anyWindows.matches(ltsc2019), "no version on the matcher matches anything");
    assertFalse(ltsc2019.matches(parse("windows(6.3.17763)/amd64")));
  }

  @Test
  void buildKitArguments() throws Exception {
    assertEquals(Map.of("TARGETPLATFORM", "linux/arm64", "TARGETOS", "linux", "TARGETOSVERSION",
        "", "TARGETARCH", "arm64", "TARGETVARIANT", ""), parse("linux/arm64/v8").targetArgs());
    assertEquals(Map.of("TARGETPLATFORM", "linux/arm/v7", "TARGETOS", "linux", "TARGETOSVERSION",
        "", "TARGETARCH", "arm", "TARGETVARIANT", "v7"), parse("linux/arm").targetArgs());
    assertEquals(Map.of("BUILDPLATFORM", "linux/amd64", "BUILDOS", "linux", "BUILDOSVERSION", "",
        "BUILDARCH", "amd64", "BUILDVARIANT", ""), AMD64_HOST.buildArgs());
    Platform windows = parse("windows(10.0.20348)/amd64");
    assertEquals("windows(10.0.20348)/amd64", windows.targetArgs().get("TARGETPLATFORM"));
    assertEquals("10.0.20348", windows.targetArgs().get("TARGETOSVERSION"));
    assertEquals("windows/amd64", windows.buildArgs().get("BUILDPLATFORM"));
    assertEquals(List.of("TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH",
        "TARGETVARIANT"), List.copyOf(windows.targetArgs().keySet()));
  }

  @ParameterizedTest
  @CsvSource({
      "Linux, amd64, linux/amd64",
      "Linux, x86_64, linux/amd64",
      "Linux, aarch64, linux/arm64",
      "Linux, arm, linux/arm/v7",
      "Linux, x86, linux/386",
      "Linux, i386, linux/386",
      "Linux, ppc64le, linux/ppc64le",
      "Linux, s390x, linux/s390x",
      "Linux, riscv64, linux/riscv64",
      "Linux, loongarch64, linux/loong64",
      "Mac OS X, aarch64, darwin/arm64",
      "Windows 11, amd64, windows/amd64",
      "FreeBSD, amd64, freebsd/amd64",
      "SunOS, sparcv9, solaris/sparcv9",
  })
  void hostFromJvmProperties(String osName, String osArch, String expected) {
    assertEquals(expected, Platform.hostFrom(osName, osArch).toString());
  }

  @Test
  void hostIsNormalized() {
    Platform host = Platform.host();
    assertEquals(host, host.normalized());
    assertTrue(host.matches(host));
  }

  @Test
  void platformList() throws Exception {
    assertEquals(List.of(p("linux", "amd64", null), p("linux", "arm64", null),
        p("linux", "arm", "v7")), Platform.parseList("linux/amd64,linux/arm64/v8,linux/arm"));
    assertThrows(UsageException.class, () -> Platform.parseList("linux/amd64,"));
  }

  @Test
  void emptyOptionalsAreNormalizedAndRequiredPartsChecked() {
    assertEquals(Optional.empty(), new Platform("linux", "amd64", Optional.of(""),
        Optional.of("")).variant());
    assertThrows(IllegalArgumentException.class, () -> Platform.of("", "amd64"));
    assertThrows(IllegalArgumentException.class, () -> Platform.of("linux", ""));
  }
}
