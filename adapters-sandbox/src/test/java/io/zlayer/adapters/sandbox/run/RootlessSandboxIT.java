package io.zlayer.adapters.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.run.SandboxHost.PrivilegeMode;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.error.BuildException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rootless mode ({@code unshare --user --map-root-user}), exercised here by root, where the
 * invoking user that maps to root in the step is root itself.
 */
@Timeout(120)
class RootlessSandboxIT {
  private static SandboxHost host;

  @TempDir Path temp;

  @BeforeAll
  static void detect(@TempDir Path probe) throws BuildException {
    RealParts.require("bwrap");
    RealParts.requireRoot();
    host = SandboxHost.detect(probe, PrivilegeMode.ROOTLESS);
    assertEquals(PrivilegeMode.ROOTLESS, host.mode());
    assertTrue(host.overlaySupported(), "overlay mounts work in a user namespace here");
  }

  private List<String> run(RunSpec spec, Path upper) throws Exception {
    Path base = temp.resolve("base");
    if (!Files.exists(base)) {
      BusyboxImage.create(base);
    }
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    RunResult result = new RunSandbox(host).run(List.of(base), upper, temp.resolve("work"),
        spec, line -> lines.add(line.text()), new CancellationSignal());
    lines.add("exit " + result.exitCode());
    return List.copyOf(lines);
  }

  @Test
  void rootStepChangesLandInTheUpperDirectory() throws Exception {
    Path upper = Files.createDirectories(temp.resolve("upper"));
    List<String> out = run(RunSpec.command("/bin/sh", "-c", "id -u; grep CapEff"
        + " /proc/self/status; rm /data/old.txt; rm -rf /data/dir; mkdir /data/dir;"
        + " echo n > /new").withEnv(List.of("PATH=/bin")).withNetwork(NetworkMode.NONE), upper);
    assertEquals(List.of("0", "CapEff:\t00000000a80425fb", "exit 0"), out);
    assertEquals(List.of("data", "data/dir", "data/old.txt", "new"), RunSandboxIT.tree(upper));
    assertTrue(ImageTree.isWhiteout(upper.resolve("data/old.txt")));
    assertTrue(ImageTree.isOpaque(upper.resolve("data/dir")));
  }

  @Test
  void otherUsersRunThroughBubblewrapsUserNamespace() throws Exception {
    Path upper = Files.createDirectories(temp.resolve("upper-app"));
    List<String> out = run(RunSpec.command("/bin/sh", "-c", "id -u; id -g; pwd;"
        + " touch /tmp/f; stat -c %u /home/app; grep CapEff /proc/self/status")
        .withEnv(List.of("PATH=/bin")).withWorkingDir("/home/app")
        .withUser(new RunUser(1000, 1000, List.of())), upper);
    // Only the invoking user is mapped: the image's uid 1000 shows as the overflow uid.
    assertEquals(List.of("1000", "1000", "/home/app", "65534", "CapEff:\t0000000000000000",
        "exit 0"), out);
    // and the step's files belong to the invoking user (root here)
    assertEquals(0, Files.getAttribute(upper.resolve("tmp/f"), "unix:uid",
        LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void secretsForOtherUsersNeedTheRootSandbox() throws Exception {
    Path secret = Files.writeString(temp.resolve("secret"), "s");
    Path upper = Files.createDirectories(temp.resolve("upper-secret"));
    BuildException e = assertThrows(BuildException.class, () -> run(
        RunSpec.command("/bin/true").withMounts(List.of(
            new RunMount.Secret(secret, "/run/secrets/s", 1000, 0, 0400))), upper));
    assertTrue(e.getMessage().contains("needs the root sandbox"), e.getMessage());
    assertEquals(List.of("s", "exit 0"), run(RunSpec.command("/bin/cat", "/run/secrets/s")
        .withMounts(List.of(new RunMount.Secret(secret, "/run/secrets/s", 0, 0, 0400))),
        upper));
    assertEquals(List.of(), RunSandboxIT.tree(upper));
  }
}
