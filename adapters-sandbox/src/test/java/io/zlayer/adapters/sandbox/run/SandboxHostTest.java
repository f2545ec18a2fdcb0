package io.zlayer.adapters.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.adapters.sandbox.run.SandboxHost.PrivilegeMode;
import io.zlayer.domain.error.BuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxHostTest {
  @TempDir Path temp;

  @Test
  void missingBubblewrapIsAClearErrorWithAnInstallHint() throws Exception {
    Path empty = Files.createDirectories(temp.resolve("empty-bin"));
    BuildException e = assertThrows(BuildException.class, () -> SandboxHost.detect(
        temp.resolve("probe"), PrivilegeMode.ROOTLESS, List.of(empty.toString())));
    assertEquals("bwrap (bubblewrap) is not installed; the zlayer sandbox needs it to run RUN "
        + "steps", e.getMessage());
    assertEquals(Optional.of("install it: apt-get install bubblewrap"), e.hint());
  }

  @Test
  void missingUnshareNamesUtilLinux() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path fake = Files.writeString(bin.resolve("bwrap"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    BuildException e = assertThrows(BuildException.class, () -> SandboxHost.detect(
        temp.resolve("probe"), PrivilegeMode.ROOTLESS, List.of(bin.toString())));
    assertEquals("unshare (util-linux) is not installed; the zlayer sandbox needs it to run RUN "
        + "steps", e.getMessage());
    assertEquals(Optional.of("install it: apt-get install util-linux"), e.hint());
  }
}
