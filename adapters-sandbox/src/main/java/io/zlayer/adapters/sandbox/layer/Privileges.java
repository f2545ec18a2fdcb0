package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the current process may do to files: decided once from its effective uid. */
final class Privileges {
  private static final boolean ROOT = readEffectiveUid() == 0;
  private static final boolean INITIAL_NAMESPACE = readInitialNamespace();

  private Privileges() {}

  /** Effective uid 0, in the initial user namespace or in one where it is mapped. */
  static boolean isRoot() {
    return ROOT;
  }

  /**
   * Whether device nodes can be made: root of the initial user namespace. Root of another user
   * namespace may create only overlay whiteouts (0/0), not real devices.
   */
  static boolean canCreateDevices() {
    return ROOT && INITIAL_NAMESPACE;
  }

  private static boolean readInitialNamespace() {
    try {
      String map = Files.readString(Path.of("/proc/self/uid_map")).strip();
      return map.matches("0\\s+0\\s+4294967295");
    } catch (IOException | RuntimeException e) {
      return ROOT;
    }
  }

  private static long readEffectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] ids = line.substring(4).trim().split("\\s+");
          return Long.parseLong(ids[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no procfs: fall back to the account name
    }
    return "root".equals(System.getProperty("user.name")) ? 0 : -1;
  }
}
