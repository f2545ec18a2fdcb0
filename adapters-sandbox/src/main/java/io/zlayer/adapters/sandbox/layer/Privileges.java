package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the current process may do to files: decided once from its effective uid. */
final class Privileges {
  private static final boolean ROOT = readEffectiveUid() == 0;

  private Privileges() {}

  /** Effective uid 0, in the initial user namespace or in one where it is mapped. */
  static boolean isRoot() {
    return ROOT;
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
