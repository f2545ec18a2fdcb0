package io.zlayer.bootstrap;

import java.nio.file.Path;
import java.util.Map;

/** What the wiring reads from the process: its environment, home and whether to trace. */
record Settings(Map<String, String> env, Path userHome, boolean debug) {
  Settings {
    env = Map.copyOf(env);
  }

  static Settings fromProcess(String[] args) {
    boolean debug = false;
    for (String a : args) {
      if (a.equals("--debug")) {
        debug = true;
      } else if (a.equals("--")) {
        break;
      }
    }
    return new Settings(System.getenv(), Path.of(System.getProperty("user.home")), debug);
  }
}
