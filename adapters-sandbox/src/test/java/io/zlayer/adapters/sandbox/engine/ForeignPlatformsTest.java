package io.zlayer.adapters.sandbox.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.image.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForeignPlatformsTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = Platform.of("linux", "arm64");

  @TempDir Path binfmt;

  private void register(String name, String flags, boolean enabled) throws Exception {
    Files.writeString(binfmt.resolve(name), (enabled ? "enabled" : "disabled") + "\n"
        + "interpreter /usr/libexec/qemu-binfmt/" + name + "\nflags: " + flags
        + "\noffset 0\nmagic 7f454c46\n");
  }

  @Test
  void nativeAndCompatibleArchitecturesNeedNoEmulator() {
    ForeignPlatforms none = new ForeignPlatforms(binfmt);
    assertDoesNotThrow(() -> none.requireRunnable(AMD64, AMD64, "Dockerfile:2: RUN x"));
    assertDoesNotThrow(() -> none.requireRunnable(Platform.of("linux", "386"), AMD64, "x"));
    assertDoesNotThrow(() -> none.requireRunnable(Platform.of("linux", "arm", "v7"), ARM64,
        "x"));
  }

  @Test
  void missingEmulatorNamesThePlatformAndHowToInstallOne() {
    BuildException e = assertThrows(BuildException.class,
        () -> new ForeignPlatforms(binfmt).requireRunnable(ARM64, AMD64, "Dockerfile:2: RUN x"));
    assertEquals("Dockerfile:2: RUN x: cannot run programs for linux/arm64 on this linux/amd64"
        + " machine: no binfmt_misc emulator for aarch64 is registered (" + binfmt
        + "/qemu-aarch64)", e.getMessage());
    assertTrue(e.hint().orElseThrow().contains("apt-get install qemu-user-static "
        + "binfmt-support"));
  }

  @Test
  void registeredEmulatorWithFixBinaryFlagIsEnough() throws Exception {
    register("qemu-aarch64", "OCF", true);
    assertDoesNotThrow(() -> new ForeignPlatforms(binfmt).requireRunnable(ARM64, AMD64, "x"));
  }

  @Test
  void emulatorWithoutFixBinaryFlagCannotWorkInTheSandbox() throws Exception {
    register("qemu-aarch64", "OC", true);
    BuildException e = assertThrows(BuildException.class,
        () -> new ForeignPlatforms(binfmt).requireRunnable(ARM64, AMD64, "x"));
    assertTrue(e.getMessage().contains("without the F (fix binary) flag"), e.getMessage());
  }

  @Test
  void disabledEntriesAndSimilarNamesDoNotCount() throws Exception {
    register("qemu-aarch64", "F", false);
    register("qemu-armeb", "F", true);
    ForeignPlatforms platforms = new ForeignPlatforms(binfmt);
    assertThrows(BuildException.class, () -> platforms.requireRunnable(ARM64, AMD64, "x"));
    assertThrows(BuildException.class,
        () -> platforms.requireRunnable(Platform.of("linux", "arm", "v7"), AMD64, "x"));
    register("qemu-arm", "F", true);
    assertDoesNotThrow(() -> platforms.requireRunnable(Platform.of("linux", "arm", "v7"), AMD64,
        "x"));
  }

  @Test
  void binfmtMiscSwitchedOffMeansNoEmulator() throws Exception {
    register("qemu-aarch64", "F", true);
    Files.writeString(binfmt.resolve("status"), "disabled\n");
    assertThrows(BuildException.class,
        () -> new ForeignPlatforms(binfmt).requireRunnable(ARM64, AMD64, "x"));
  }

  @Test
  void onlyLinuxProgramsRun() {
    BuildException e = assertThrows(BuildException.class, () -> new ForeignPlatforms(binfmt)
        .requireRunnable(Platform.of("windows", "amd64"), AMD64, "Dockerfile:3: RUN dir"));
    assertTrue(e.getMessage().contains("the sandbox runs Linux programs only"));
  }
}
