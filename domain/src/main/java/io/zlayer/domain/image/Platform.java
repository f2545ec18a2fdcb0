package io.zlayer.domain.image;

import io.zlayer.domain.error.UsageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An OCI platform (os, architecture, variant, os version) with containerd's {@code platforms}
 * semantics, which BuildKit uses for {@code --platform} and {@code FROM --platform}.
 *
 * <p>{@link #parse} keeps what the user wrote as containerd's {@code Parse} does: {@code
 * linux/arm64/v8} stays {@code linux/arm64/v8}, {@code linux/arm} has no variant. {@link
 * #normalized()} is containerd's {@code Normalize} ({@code aarch64} → {@code arm64} without
 * variant, {@code arm} → {@code arm/v7}), which {@link #matches} and the build arguments use.
 * Differences from containerd: OS features ({@code linux(+gpu)}) are rejected because this model
 * has no field for them, and {@code i686} is accepted as a spelling of {@code 386} (what {@code
 * uname -m} prints on 32-bit x86).
 *
 * @param os the operating system, e.g. {@code linux}
 * @param architecture the CPU architecture, e.g. {@code amd64}, {@code arm64}
 * @param variant the CPU variant, e.g. {@code v7} for arm
 * @param osVersion the OS version, used by Windows images
 */
public record Platform(
    String os, String architecture, Optional<String> variant, Optional<String> osVersion) {

  private static final Set<String> KNOWN_OS = Set.of(
      "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux",
      "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos");

  private static final Set<String> KNOWN_ARCH = Set.of(
      "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le",
      "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv",
      "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm");

  private static final int WINDOWS_SERVER_2022 = 20348;

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(osVersion, "osVersion");
    if (os.isEmpty() || architecture.isEmpty()) {
      throw new IllegalArgumentException("platform needs an os and an architecture");
    }
    variant = variant.filter(v -> !v.isEmpty());
    osVersion = osVersion.filter(v -> !v.isEmpty());
  }

  public static Platform of(String os, String architecture) {
    return new Platform(os, architecture, Optional.empty(), Optional.empty());
  }

  public static Platform of(String os, String architecture, String variant) {
    return new Platform(os, architecture, Optional.of(variant), Optional.empty());
  }

  /**
   * Parses a platform specifier ({@code <os>|<arch>|<os>/<arch>[/<variant>]}, with an optional
   * {@code (<os version>)} after the os); a missing os or architecture comes from {@link #host()}.
   */
  public static Platform parse(String specifier) throws UsageException {
    return parse(specifier, host());
  }

  /** {@link #parse(String)} with an explicit host platform for the parts left out. */
  public static Platform parse(String specifier, Platform host) throws UsageException {
    Objects.requireNonNull(specifier, "specifier");
    if (specifier.indexOf('*') >= 0) {
      throw invalid(specifier, "wildcards are not supported");
    }
    String[] parts = specifier.split("/", 4);
    OsComponent first = OsComponent.parse(specifier, parts[0]);
    for (int i = 1; i < parts.length; i++) {
      if (!isSpecifierComponent(parts[i])) {
        throw invalid(specifier, "\"" + parts[i] + "\" is an invalid component: it must be one"
            + " or more of [A-Za-z0-9_.-]");
      }
    }
    String os = normalizeOs(first.name());
    Optional<String> osVersion = first.version();
    switch (parts.length) {
      case 1: {
        if (KNOWN_OS.contains(os)) {
          Optional<String> variant = host.architecture().equals("arm")
              ? host.variant().filter(v -> !v.equals("v7"))
              : Optional.empty();
          return new Platform(os, host.architecture(), variant, osVersion);
        }
        String[] arch = normalizeArch(parts[0], "");
        if (arch[0].equals("arm") && arch[1].equals("v7")) {
          arch[1] = "";
        }
        if (KNOWN_ARCH.contains(arch[0])) {
          return new Platform(host.os(), arch[0], Optional.of(arch[1]), osVersion);
        }
        throw invalid(specifier, "unknown operating system or architecture");
      }
      case 2: {
        String[] arch = normalizeArch(parts[1], "");
        if (arch[0].equals("arm") && arch[1].equals("v7")) {
          arch[1] = "";
        }
        return new Platform(os, arch[0], Optional.of(arch[1]), osVersion);
      }
      case 3: {
        String[] arch = normalizeArch(parts[1], parts[2]);
        if (arch[0].equals("arm64") && arch[1].isEmpty()) {
          arch[1] = "v8";
        }
        return new Platform(os, arch[0], Optional.of(arch[1]), osVersion);
      }
      default:
        throw invalid(specifier, "too many components, expected <os>[/<arch>[/<variant>]]");
    }
  }

  /** BuildKit's {@code --platform a,b}: each comma-separated specifier, parsed and normalized. */
  public static List<Platform> parseList(String specifiers) throws UsageException {
    List<Platform> result = new ArrayList<>();
    for (String specifier : specifiers.split(",", -1)) {
      result.add(parse(specifier).normalized());
    }
    return List.copyOf(result);
  }

  /** The platform this JVM runs on, normalized (e.g. {@code linux/amd64} on x86_64). */
  public static Platform host() {
    return hostFrom(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** The platform for the JVM's {@code os.name} and {@code os.arch} values, normalized. */
  public static Platform hostFrom(String osName, String osArch) {
    String name = osName.toLowerCase(Locale.ROOT);
    String os;
    if (name.startsWith("windows")) {
      os = "windows";
    } else if (name.startsWith("mac") || name.startsWith("darwin")) {
      os = "darwin";
    } else if (name.startsWith("sunos") || name.startsWith("solaris")) {
      os = "solaris";
    } else if (name.isEmpty()) {
      os = "linux";
    } else {
      os = name.replace(" ", "");
    }
    String arch;
    switch (osArch.toLowerCase(Locale.ROOT)) {
      case "x86":
      case "i486":
      case "i586":
        arch = "386";
        break;
      case "arm32":
        arch = "arm";
        break;
      case "loongarch64":
        arch = "loong64";
        break;
      case "mips64el":
        arch = "mips64le";
        break;
      case "mipsel":
        arch = "mipsle";
        break;
      case "":
        arch = "amd64";
        break;
      default:
        arch = osArch;
    }
    return of(os, arch).normalized();
  }

  /**
   * containerd's {@code Normalize}: lowercase, well-known aliases resolved, arm64's v8 and
   * amd64's v1 dropped, arm's missing variant made v7.
   */
  public Platform normalized() {
    String[] arch = normalizeArch(architecture, variant.orElse(""));
    return new Platform(normalizeOs(os), arch[0], Optional.of(arch[1]), osVersion);
  }

  /**
   * containerd's default matcher ({@code NewMatcher(this).Match(other)}): both sides normalized,
   * os, architecture and variant equal; for a Windows matcher with an os version, the other's
   * os version must be compatible with it.
   */
  public boolean matches(Platform other) {
    Platform self = normalized();
    Platform that = other.normalized();
    if (!self.os.equals(that.os) || !self.architecture.equals(that.architecture)
        || !self.variant.equals(that.variant)) {
      return false;
    }
    if (!os.equals("windows")) {
      return true;
    }
    int[] host = windowsVersion(osVersion.orElse(""));
    String theirs = other.osVersion.orElse("");
    if (host == null || theirs.isEmpty()) {
      return true;
    }
    int[] container = windowsVersion(theirs);
    if (container == null) {
      container = new int[3];
    }
    if (host[0] != container[0] || host[1] != container[1]) {
      return false;
    }
    if (host[2] < WINDOWS_SERVER_2022) {
      return host[2] == container[2];
    }
    return container[2] >= WINDOWS_SERVER_2022 && container[2] <= host[2];
  }

  /** containerd's {@code Format}: {@code linux/arm64/v8}, {@code linux/amd64}. */
  @Override
  public String toString() {
    return join(os);
  }

  /** containerd's {@code FormatAll}: like {@link #toString()} with {@code os(version)}. */
  public String formatWithOsVersion() {
    if (osVersion.isEmpty()) {
      return toString();
    }
    return join(os + "(" + encodeOsOption(osVersion.get()) + ")");
  }

  /**
   * BuildKit's automatic platform arguments for the target platform: {@code TARGETPLATFORM},
   * {@code TARGETOS}, {@code TARGETOSVERSION}, {@code TARGETARCH}, {@code TARGETVARIANT}, from
   * the normalized platform (so {@code linux/arm64/v8} gives an empty {@code TARGETVARIANT} and
   * {@code linux/arm} gives {@code v7}).
   */
  public Map<String, String> targetArgs() {
    Platform n = normalized();
    return args("TARGET", n.formatWithOsVersion(), n);
  }

  /** The same for the build platform: {@code BUILDPLATFORM}, {@code BUILDOS}, and so on. */
  public Map<String, String> buildArgs() {
    Platform n = normalized();
    return args("BUILD", n.toString(), n);
  }

  private static Map<String, String> args(String prefix, String formatted, Platform n) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put(prefix + "PLATFORM", formatted);
    args.put(prefix + "OS", n.os);
    args.put(prefix + "OSVERSION", n.osVersion.orElse(""));
    args.put(prefix + "ARCH", n.architecture);
    args.put(prefix + "VARIANT", n.variant.orElse(""));
    return Collections.unmodifiableMap(args);
  }

  private String join(String first) {
    return variant.map(v -> first + "/" + architecture + "/" + v)
        .orElse(first + "/" + architecture);
  }

  // ---------------------------------------------------------------------------------------------

  /** The first specifier component: {@code <os>[(<version>[+<feature>]*)]}. */
  private record OsComponent(String name, Optional<String> version) {
    static OsComponent parse(String specifier, String part) throws UsageException {
      int i = 0;
      while (i < part.length() && isOsNameChar(part.charAt(i))) {
        i++;
      }
      if (i == 0 || (i < part.length() && (part.charAt(i) != '(' || !part.endsWith(")")))) {
        throw invalid(specifier, "\"" + part + "\" is an invalid OS component: it must be one or"
            + " more of [A-Za-z0-9_-], optionally followed by (<version>)");
      }
      String name = part.substring(0, i);
      if (i == part.length()) {
        return new OsComponent(name, Optional.empty());
      }
      String options = part.substring(i + 1, part.length() - 1);
      for (int j = 0; j < options.length(); j++) {
        char c = options.charAt(j);
        if (!isSpecifierChar(c) && c != '%' && c != '+') {
          throw invalid(specifier, "\"" + part + "\" is an invalid OS component: the OS version"
              + " may only contain [A-Za-z0-9_.%-]");
        }
      }
      int plus = options.indexOf('+');
      if (plus >= 0) {
        throw invalid(specifier, "OS features (\"" + options.substring(plus)
            + "\") are not supported");
      }
      return new OsComponent(name, Optional.of(decodeOsOption(specifier, options)));
    }
  }

  private static boolean isOsNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
        || c == '-';
  }

  private static boolean isSpecifierChar(char c) {
    return isOsNameChar(c) || c == '.';
  }

  private static boolean isSpecifierComponent(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isSpecifierChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String normalizeOs(String os) {
    String lower = os.toLowerCase(Locale.ROOT);
    return lower.equals("macos") ? "darwin" : lower;
  }

  /** containerd's {@code normalizeArch}; returns {arch, variant} (variant may be empty). */
  private static String[] normalizeArch(String architecture, String variant) {
    String arch = architecture.toLowerCase(Locale.ROOT);
    String v = variant.toLowerCase(Locale.ROOT);
    switch (arch) {
      case "i386":
      case "i686":
        arch = "386";
        v = "";
        break;
      case "x86_64":
      case "x86-64":
      case "amd64":
        arch = "amd64";
        if (v.equals("v1")) {
          v = "";
        }
        break;
      case "aarch64":
      case "arm64":
        arch = "arm64";
        if (v.equals("8") || v.equals("v8") || v.equals("v8.0")) {
          v = "";
        } else if (v.equals("9") || v.equals("9.0") || v.equals("v9.0")) {
          v = "v9";
        }
        break;
      case "armhf":
        arch = "arm";
        v = "v7";
        break;
      case "armel":
        arch = "arm";
        v = "v6";
        break;
      case "arm":
        if (v.isEmpty() || v.equals("7")) {
          v = "v7";
        } else if (v.equals("5") || v.equals("6") || v.equals("8")) {
          v = "v" + v;
        }
        break;
      default:
        break;
    }
    return new String[] {arch, v};
  }

  /** Go's {@code url.PathUnescape}, applied only when the value contains a '%'. */
  private static String decodeOsOption(String specifier, String value) throws UsageException {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%') {
        int hi = i + 1 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
        int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
        if (hi < 0 || lo < 0) {
          throw invalid(specifier, "invalid escape in OS version \"" + value + "\"");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String encodeOsOption(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '%':
          sb.append("%25");
          break;
        case '+':
          sb.append("%2B");
          break;
        case '(':
          sb.append("%28");
          break;
        case ')':
          sb.append("%29");
          break;
        case '/':
          sb.append("%2F");
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }

  /** containerd's {@code getWindowsOSVersion}: {major, minor, build}, or null when unparsable. */
  private static int[] windowsVersion(String version) {
    String[] parts = version.split("\\.", -1);
    if (parts.length < 3) {
      return null;
    }
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = Integer.parseInt(parts[1]);
      int build = Integer.parseInt(parts[2]);
      if (major < 0 || major > 255 || minor < 0 || minor > 255 || build < 0 || build > 65535
          || parts[0].startsWith("+") || parts[1].startsWith("+") || parts[2].startsWith("+")) {
        return null;
      }
      if (major == 0 && minor == 0 && build == 0) {
        return null;
      }
      return new int[] {major, minor, build};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static UsageException invalid(String specifier, String detail) {
    return new UsageException("invalid platform \"" + specifier + "\": " + detail);
  }
}
