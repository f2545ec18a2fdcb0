package io.zlayer.adapters.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.run.SandboxHost.HostRootEntry;
import io.zlayer.adapters.sandbox.run.SandboxHost.PrivilegeMode;
import io.zlayer.adapters.sandbox.run.SandboxInvocation.OverlayMount;
import io.zlayer.adapters.sandbox.run.SandboxInvocation.Ownership;
import io.zlayer.adapters.sandbox.run.SandboxInvocation.PlannedMount;
import io.zlayer.adapters.sandbox.run.SandboxInvocation.Source;
import io.zlayer.domain.error.BuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxInvocationTest {
  private static final Path MERGED = Path.of("/s/run-1/merged");
  private static final Path STATUS = Path.of("/s/run-1/status");

  private static SandboxHost host(PrivilegeMode mode) {
    return new SandboxHost(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/unshare"),
        Path.of("/usr/bin/setpriv"), Path.of("/usr/bin/env"), mode, true,
        List.of(new HostRootEntry("bin", Optional.of("usr/bin")),
            new HostRootEntry("lib64", Optional.empty())),
        List.of("/proc/keys"), List.of("/proc/acpi", "/sys/firmware"));
  }

  private static SandboxInvocation invocation(PrivilegeMode mode, RunSpec spec,
      List<PlannedMount> mounts) {
    return new SandboxInvocation(host(mode), spec, MERGED,
        Optional.of(new OverlayMount("userxattr,lowerdir=/l1,upperdir=/u,workdir=/w",
            Optional.empty(), MERGED, Map.of())),
        Optional.empty(), STATUS, mounts, Set.of());
  }

  @Test
  void rootStepSetsGroupsBeforeBubblewrapAndDropsToDockersCapabilities() {
    RunSpec spec = RunSpec.command("/bin/sh", "-c", "echo hi").withWorkingDir("/work")
        .withEnv(List.of("PATH=/bin", "A=b=c"))
        .withUser(new RunUser(0, 0, List.of(10, 20)));
    List<String> command = invocation(PrivilegeMode.ROOT, spec, List.of()).command();
    assertEquals(List.of("/usr/bin/unshare", "--mount", "--propagation", "private", "--",
        "/bin/sh", "-c"), command.subList(0, 7));
    assertEquals("zlayer-run", command.get(8));
    assertEquals(List.of("/usr/bin/setpriv", "--regid=0", "--groups=10,20", "--",
        "/usr/bin/bwrap"), command.subList(9, 14));
    assertTrue(containsRun(command, "--bind", MERGED.toString(), "/"));
    assertTrue(containsRun(command, "--proc", "/proc", "--dev", "/dev"));
    assertTrue(containsRun(command, "--dev-bind", "/dev/null", "/proc/keys"));
    assertTrue(containsRun(command, "--tmpfs", "/sys/firmware", "--remount-ro",
        "/sys/firmware"));
    assertTrue(containsRun(command, "--clearenv", "--args", "4"));
    assertFalse(command.contains("--setenv"), "values stay off the command line");
    assertFalse(command.stream().anyMatch(a -> a.contains("b=c")));
    assertEquals("--setenv\0PATH\0/bin\0--setenv\0A\0b=c\0", new String(
        invocation(PrivilegeMode.ROOT, spec, List.of()).hiddenArguments(),
        java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(command.get(7).contains("exec 4<&0 0</dev/null\n"), command.get(7));
    assertTrue(containsRun(command, "--cap-drop", "ALL", "--cap-add", "CAP_CHOWN"));
    assertEquals(14, Collections.frequency(command, "--cap-add"));
    assertTrue(containsRun(command, "--chdir", "/work", "--", "/bin/sh", "-c", "echo hi"));
    assertEquals("echo hi", command.get(command.size() - 1));
    assertFalse(command.contains("--unshare-net"));
    assertFalse(command.contains("--unshare-user"));
    assertTrue(containsRun(command, "--hostname", "buildkitsandbox"));
  }

  @Test
  void nonRootUserIsSwitchedInsideThroughAReadOnlyOuterRoot() {
    RunSpec spec = RunSpec.command("id").withWorkingDir("/home/app")
        .withUser(new RunUser(1000, 1000, List.of()));
    List<String> command = invocation(PrivilegeMode.ROOT, spec, List.of()).command();
    assertEquals("/usr/bin/bwrap", command.get(9));
    assertTrue(containsRun(command, "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
        "--ro-bind", "/lib64", "/lib64", "--bind", MERGED.toString(), "/newroot"));
    assertTrue(containsRun(command, "--proc", "/newroot/proc", "--dev", "/newroot/dev"));
    assertTrue(containsRun(command, "--dev-bind", "/dev/null", "/newroot/proc/keys"));
    assertTrue(containsRun(command, "--chdir", "/", "--", "/usr/bin/env", "PWD=/home/app",
        "/usr/bin/setpriv", "--regid=1000",
        "--clear-groups", "--", "/usr/bin/unshare", "--root=/newroot", "--wd=/home/app",
        "--setuid=1000", "--", "id"));
  }

  @Test
  void rootlessWrapsInAUserNamespaceAndSwitchesThroughBubblewrap() {
    RunSpec spec = RunSpec.command("id").withUser(new RunUser(1000, 1001, List.of(5)));
    List<String> command = invocation(PrivilegeMode.ROOTLESS, spec, List.of()).command();
    assertEquals(List.of("/usr/bin/unshare", "--user", "--map-root-user", "--mount",
        "--propagation", "private", "--"), command.subList(0, 7));
    assertFalse(command.contains("/usr/bin/setpriv"));
    assertTrue(containsRun(command, "--unshare-user", "--uid", "1000", "--gid", "1001"));
    assertTrue(containsRun(command, "--cap-drop", "ALL", "--chdir"));
    assertFalse(command.contains("--cap-add"));

    List<String> root = invocation(PrivilegeMode.ROOTLESS, RunSpec.command("id"), List.of())
        .command();
    assertFalse(root.contains("--unshare-user"));
    assertEquals(14, Collections.frequency(root, "--cap-add"));
  }

  @Test
  void networkNoneAndInsecureMode() {
    RunSpec spec = RunSpec.command("true").withNetwork(NetworkMode.NONE)
        .withSecurity(SecurityMode.INSECURE);
    List<String> command = invocation(PrivilegeMode.ROOT, spec, List.of()).command();
    assertTrue(command.contains("--unshare-net"));
    assertTrue(containsRun(command, "--cap-add", "ALL"));
    assertFalse(command.contains("--cap-drop"));
    assertFalse(command.contains("/proc/keys"));
  }

  @Test
  void mountsAreOrderedParentsFirstAndMappedToBubblewrapOptions() {
    List<PlannedMount> mounts = List.of(
        new PlannedMount("/a/b/c", new Source.HostPath(Path.of("/host/ro"), true)),
        new PlannedMount("/a", new Source.Tmpfs(OptionalLong.of(4096), 01777)),
        new PlannedMount("/cache", new Source.HostPath(Path.of("/host/cache"), false)),
        new PlannedMount("/run/secrets/id", new Source.TmpfsCopy(Path.of("/host/secret"),
            Path.of("/s/run-1/ns/secret-1"), true, Optional.of(new Ownership(1000, 50, 0400)))),
        new PlannedMount("/src", new Source.ThrowawayOverlay(Path.of("/host/src"),
            Path.of("/s/b/upper"), Path.of("/s/b/work"), Path.of("/s/b/merged"))));
    SandboxInvocation invocation = new SandboxInvocation(host(PrivilegeMode.ROOT),
        RunSpec.command("true"), MERGED, Optional.empty(), Optional.of(Path.of("/s/run-1/ns")),
        STATUS, mounts, Set.of("/run", "/run/secrets", "/run/secrets/id", "/a", "/a/b",
            "/a/b/c"));
    List<String> command = invocation.command();
    int tmpfs = command.indexOf("/a");
    int deep = command.indexOf("/a/b/c");
    assertTrue(tmpfs > 0 && deep > tmpfs, "parent mount first: " + command);
    assertTrue(containsRun(command, "--size", "4096", "--perms", "1777", "--tmpfs", "/a"));
    assertTrue(containsRun(command, "--ro-bind", "/host/ro", "/a/b/c"));
    assertTrue(containsRun(command, "--bind", "/host/cache", "/cache"));
    assertTrue(containsRun(command, "--perms", "0755", "--dir", "/run", "--perms", "0755",
        "--dir", "/run/secrets", "--ro-bind", "/s/run-1/ns/secret-1", "/run/secrets/id"));
    assertTrue(containsRun(command, "--perms", "0755", "--dir", "/a/b", "--ro-bind",
        "/host/ro", "/a/b/c"), "a parent inside an earlier tmpfs is created in it");
    assertEquals(1, Collections.frequency(command, "/a/b"));
    assertFalse(command.contains("/src") && command.get(command.indexOf("/src") - 1)
        .equals("--dir"));
    assertTrue(containsRun(command, "--bind", "/s/b/merged", "/src"));

    String script = invocation.setupScript();
    assertTrue(script.contains("mount -t tmpfs -o mode=0700 zlayer-run '/s/run-1/ns'\n"));
    assertTrue(script.contains("cp -p -- '/host/secret' '/s/run-1/ns/secret-1'\n"
        + "chown 1000:50 '/s/run-1/ns/secret-1'\nchmod 400 '/s/run-1/ns/secret-1'\n"));
    assertTrue(script.contains("mount -t overlay overlay -o 'userxattr,lowerdir=/host/src,"
        + "upperdir=/s/b/upper,workdir=/s/b/work' '/s/b/merged'\n"));
    assertTrue(script.endsWith("exec 3>'/s/run-1/status'\nexec \"$@\"\n"));
    assertFalse(script.contains("lowerdir=/l1"), "flat root: no root overlay");
  }

  @Test
  void overlayOptionsStayAbsoluteWhenShort() throws BuildException {
    OverlayMount mount = SandboxInvocation.overlayMount(List.of(Path.of("/s/l2"),
        Path.of("/s/l1")), Path.of("/s/u"), Path.of("/w/work"), MERGED, Path.of("/w/l"));
    assertEquals("userxattr,lowerdir=/s/l2:/s/l1,upperdir=/s/u,workdir=/w/work",
        mount.options());
    assertEquals(Optional.empty(), mount.chdir());
    assertEquals(Map.of(), mount.links());
  }

  @Test
  void longLayerStacksGoThroughShortSymlinks() throws BuildException {
    List<Path> lowers = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lowers.add(Path.of("/var/lib/zlayer/store/layers/" + "0123456789abcdef".repeat(4) + i));
    }
    OverlayMount mount = SandboxInvocation.overlayMount(lowers,
        Path.of("/var/lib/zlayer/steps/u1/upper"), Path.of("/var/lib/zlayer/steps/w/run-3/work"),
        MERGED, Path.of("/var/lib/zlayer/steps/w/run-3/l"));
    assertEquals(Optional.of(Path.of("/var/lib/zlayer/steps/w/run-3")), mount.chdir());
    assertTrue(mount.options().startsWith("userxattr,lowerdir=l/0:l/1:l/2:"), mount.options());
    assertTrue(mount.options().endsWith(":l/499,upperdir=/var/lib/zlayer/steps/u1/upper,"
        + "workdir=/var/lib/zlayer/steps/w/run-3/work"), mount.options());
    assertTrue(mount.options().length() <= SandboxInvocation.MAX_MOUNT_OPTIONS);
    assertEquals(500, mount.links().size());
    assertEquals(lowers.get(7), mount.links().get(Path.of("/var/lib/zlayer/steps/w/run-3/l/7")));

    String script = new SandboxInvocation(host(PrivilegeMode.ROOT), RunSpec.command("true"),
        MERGED, Optional.of(mount), Optional.empty(), STATUS, List.of(), Set.of()).setupScript();
    assertTrue(script.startsWith("set -e\ncd -- '/var/lib/zlayer/steps/w/run-3'\n"
        + "mount -t overlay overlay -o 'userxattr,lowerdir=l/0:"), script);
  }

  @Test
  void overlayPathsWithSeparatorsAreRejected() {
    BuildException e = assertThrows(BuildException.class, () -> SandboxInvocation.overlayMount(
        List.of(Path.of("/s/sha256:abc")), Path.of("/s/u"), Path.of("/s/w"), MERGED,
        Path.of("/s/l")));
    assertTrue(e.getMessage().contains("/s/sha256:abc"), e.getMessage());
  }

  @Test
  void quotingSurvivesTheShell() throws IOException, InterruptedException {
    String nasty = "it's a \"path\" with $HOME `and` \\ \n newline";
    Process process = new ProcessBuilder("/bin/sh", "-c",
        "printf '%s' " + SandboxInvocation.quote(nasty)).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor());
    assertEquals(nasty, out);
  }

  private static boolean containsRun(List<String> list, String... run) {
    return Collections.indexOfSubList(list, List.of(run)) >= 0;
  }
}
