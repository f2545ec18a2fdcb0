package io.zlayer.adapters.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.error.BuildException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The flat-rootfs fallback against real bubblewrap (needs root). */
@Timeout(120)
class FlatRootfsSandboxIT {
  private static SandboxHost host;

  @TempDir Path temp;

  @BeforeAll
  static void detect(@TempDir Path probe) throws BuildException {
    RealParts.require("bwrap");
    RealParts.requireRoot();
    host = SandboxHost.detect(probe);
  }

  @Test
  void changesTheRootfsInPlaceAndLeavesNoMountPoints() throws Exception {
    Path rootfs = BusyboxImage.create(temp.resolve("rootfs"));
    List<String> before = RunSandboxIT.tree(rootfs);
    FlatRootfsSandbox sandbox = new FlatRootfsSandbox(host);
    assertFalse(sandbox.overlaySupported());
    List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
    RunResult asRoot = sandbox.run(rootfs, temp.resolve("scratch"), RunSpec.command("/bin/sh",
        "-c", "echo hi > /x && rm /etc/motd").withEnv(List.of("PATH=/bin")), lines::add,
        new CancellationSignal());
    assertEquals(0, asRoot.exitCode(), lines.toString());

    Path secret = Files.writeString(temp.resolve("secret"), "s3cret");
    RunSpec spec = RunSpec.command("/bin/sh", "-c", "id -u; cat /run/secrets/s; echo;"
        + " touch /home/app/mine; test -c /dev/null && echo dev")
        .withEnv(List.of("PATH=/bin")).withUser(new RunUser(1000, 1000, List.of()))
        .withMounts(List.of(new RunMount.Secret(secret, "/run/secrets/s", 1000, 1000, 0400)));
    RunResult result = sandbox.run(rootfs, temp.resolve("scratch"), spec, lines::add,
        new CancellationSignal());
    assertEquals(0, result.exitCode(), lines.toString());
    assertEquals(List.of("1000", "s3cret", "dev"), lines.stream().map(OutputLine::text)
        .toList());
    assertEquals("hi\n", Files.readString(rootfs.resolve("x")));
    assertFalse(Files.exists(rootfs.resolve("etc/motd")));
    assertEquals(1000, Files.getAttribute(rootfs.resolve("home/app/mine"), "unix:uid",
        LinkOption.NOFOLLOW_LINKS));
    List<String> after = new ArrayList<>(before);
    after.remove("etc/motd");
    after.add("home/app/mine");
    after.add("x");
    Collections.sort(after);
    assertEquals(after, RunSandboxIT.tree(rootfs), "no proc, dev, sys, run/secrets or hosts");
    try (Stream<Path> scratch = Files.list(temp.resolve("scratch"))) {
      assertEquals(List.of(), scratch.toList());
    }
  }

  @Test
  void refusesOverlayRoots() {
    BuildException e = assertThrows(BuildException.class, () -> new FlatRootfsSandbox(host)
        .run(new StepRoot.Overlay(List.of(temp), temp, temp), RunSpec.command("/bin/true"),
            line -> { }, new CancellationSignal()));
    assertTrue(e.getMessage().contains("overlay mounts are not available"), e.getMessage());
  }
}
