package io.zlayer.adapters.sandbox.engine;

import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a RUN for another platform can execute here. Programs of the host's architecture (and
 * the 32-bit ones such CPUs run natively: 386 on amd64, arm on arm64) run directly; any other
 * architecture needs a user-mode emulator registered with binfmt_misc, and registered with the
 * {@code F} (fix binary) flag, because the sandbox's root holds only the image's files and the
 * kernel must have opened the interpreter beforehand. Debian's {@code qemu-user-static} with
 * {@code binfmt-support} registers exactly that.
 */
final class ForeignPlatforms {
  static final Path BINFMT_MISC = Path.of("/proc/sys/fs/binfmt_misc");

  private static final Map<String, String> QEMU_NAMES = Map.ofEntries(
      Map.entry("amd64", "x86_64"), Map.entry("386", "i386"), Map.entry("arm64", "aarch64"),
      Map.entry("arm", "arm"), Map.entry("ppc64le", "ppc64le"), Map.entry("ppc64", "ppc64"),
      Map.entry("s390x", "s390x"), Map.entry("riscv64", "riscv64"),
      Map.entry("mips64le", "mips64el"), Map.entry("mips64", "mips64"),
      Map.entry("mipsle", "mipsel"), Map.entry("mips", "mips"),
      Map.entry("loong64", "loongarch64"));
  private static final String INSTALL_HINT = "install an emulator: apt-get install "
      + "qemu-user-static binfmt-support (it registers qemu-ARCH with binfmt_misc), or build "
      + "for this machine's platform";

  private final Path binfmtDir;

  ForeignPlatforms(Path binfmtDir) {
    this.binfmtDir = binfmtDir;
  }

  /**
   * Fails unless programs for {@code target} run on {@code host}.
   *
   * @param where the step, for the message ("Dockerfile:4: RUN make")
   */
  void requireRunnable(Platform target, Platform host, String where) throws BuildException {
    Platform t = target.normalized();
    Platform h = host.normalized();
    if (!t.os().equals("linux")) {
      throw new BuildException(where + ": cannot run programs for " + t
          + ": the sandbox runs Linux programs only");
    }
    if (runsNatively(t.architecture(), h.architecture())) {
      return;
    }
    String qemu = QEMU_NAMES.getOrDefault(t.architecture(), t.architecture());
    String what = where + ": cannot run programs for " + t + " on this " + h + " machine";
    Optional<Handler> handler = handler(qemu);
    if (handler.isEmpty()) {
      throw new BuildException(what + ": no binfmt_misc emulator for " + qemu
          + " is registered (" + binfmtDir + "/qemu-" + qemu + ")", -1, List.of(), INSTALL_HINT,
          null);
    }
    if (!handler.get().fixBinary()) {
      throw new BuildException(what + ": the binfmt_misc emulator " + handler.get().file()
          + " is registered without the F (fix binary) flag, so it cannot run inside the"
          + " sandbox", -1, List.of(), "register it with flags F, as Debian's qemu-user-static"
          + " does (update-binfmts --enable qemu-" + qemu + ")", null);
    }
  }

  static boolean runsNatively(String target, String host) {
    return target.equals(host) || host.equals("amd64") && target.equals("386")
        || host.equals("arm64") && target.equals("arm");
  }

  private record Handler(Path file, boolean fixBinary) {}

  private Optional<Handler> handler(String qemu) {
    if (!Files.isDirectory(binfmtDir) || !enabled(binfmtDir.resolve("status"))) {
      return Optional.empty();
    }
    Optional<Handler> found = Optional.empty();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(binfmtDir,
        "qemu-" + qemu + "*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.equals("qemu-" + qemu) && !name.startsWith("qemu-" + qemu + "-")) {
          continue; // qemu-arm must not match qemu-armeb
        }
        List<String> lines = read(entry);
        if (lines.isEmpty() || !lines.get(0).strip().equals("enabled")) {
          continue;
        }
        boolean fix = lines.stream().anyMatch(l -> l.startsWith("flags:")
            && l.substring(6).contains("F"));
        if (fix) {
          return Optional.of(new Handler(entry, true));
        }
        found = Optional.of(new Handler(entry, false));
      }
    } catch (IOException e) {
      return found;
    }
    return found;
  }

  private static boolean enabled(Path status) {
    List<String> lines = read(status);
    return lines.isEmpty() || lines.get(0).strip().equals("enabled");
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }
}
