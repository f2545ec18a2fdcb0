package io.zlayer.adapters.sandbox.run;

import io.zlayer.application.testing.RealParts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * A tiny base layer directory for the sandbox tests: Debian's static busybox with applet
 * symlinks, a passwd/group pair and a few directories, but no {@code /proc}, {@code /dev} or
 * {@code /sys}, so the tests also see the sandbox's mount points being cleaned up.
 */
final class BusyboxImage {
  static final List<String> APPLETS = List.of("sh", "echo", "id", "ls", "cat", "rm", "mkdir",
      "touch", "sleep", "env", "pwd", "grep", "wc", "hostname", "stat", "seq", "printf", "head",
      "tail", "mknod", "true", "false", "readlink", "kill", "ps", "test", "chmod", "chown", "ln",
      "mv", "cp", "tr", "sed", "ip", "wget", "nproc", "df", "mount", "sort");

  static final String PASSWD = String.join("\n",
      "root:x:0:0:root:/root:/bin/sh",
      "app:x:1000:1000:App:/home/app:/bin/sh",
      "") ;
  static final String GROUP = String.join("\n",
      "root:x:0:",
      "wheel:x:10:app",
      "staff:x:50:app",
      "app:x:1000:",
      "");

  private BusyboxImage() {}

  /** Writes the base layer into {@code dir} (created) and returns it. */
  static Path create(Path dir) throws IOException {
    Path busybox = RealParts.require("busybox").toRealPath();
    byte[] binary = Files.readAllBytes(busybox);
    if (isDynamicElf(binary)) {
      Assertions.fail(busybox + " is dynamically linked; the tests need busybox-static "
          + "(apt-get install busybox-static)");
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.write(bin.resolve("busybox"), binary);
    Files.setPosixFilePermissions(bin.resolve("busybox"),
        PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), PASSWD);
    Files.writeString(etc.resolve("group"), GROUP);
    Files.writeString(etc.resolve("motd"), "welcome\n");
    Path home = Files.createDirectories(dir.resolve("home/app"));
    Files.setAttribute(home, "unix:uid", 1000);
    Files.setAttribute(home, "unix:gid", 1000);
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Files.setAttribute(tmp, "unix:mode", 01777);
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    Path data = Files.createDirectories(dir.resolve("data/dir"));
    Files.writeString(data.resolve("x"), "x\n");
    Files.writeString(dir.resolve("data/old.txt"), "old\n");
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("var"));
    return dir;
  }

  private static boolean isDynamicElf(byte[] elf) {
    if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
      return false;
    }
    boolean is64 = elf[4] == 2;
    ByteBuffer buffer = ByteBuffer.wrap(elf)
        .order(elf[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    long phoff = is64 ? buffer.getLong(0x20) : Integer.toUnsignedLong(buffer.getInt(0x1c));
    int phentsize = Short.toUnsignedInt(buffer.getShort(is64 ? 0x36 : 0x2a));
    int phnum = Short.toUnsignedInt(buffer.getShort(is64 ? 0x38 : 0x2c));
    for (int i = 0; i < phnum; i++) {
      int type = buffer.getInt((int) (phoff + (long) i * phentsize));
      if (type == 3) { // PT_INTERP
        return true;
      }
    }
    return false;
  }
}
