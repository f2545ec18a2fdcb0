package io.zlayer.adapters.cli.progress;

import java.util.Locale;
import java.util.Map;

/** How progress is shown ({@code --progress}), as in {@code docker buildx build}. */
public enum ProgressMode {
  /** {@link #TTY} on an interactive terminal, {@link #PLAIN} otherwise (and in CI). */
  AUTO,
  /** A live view redrawn in place. */
  TTY,
  /** One line per event, for logs. */
  PLAIN,
  /** One JSON object per line per event, for tools (see docs/progress-json.md). */
  RAWJSON,
  /** Nothing. */
  QUIET;

  /** The spelling users type: {@code auto}, {@code tty}, ... */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The concrete mode for this environment: {@link #AUTO} becomes {@link #PLAIN} when standard
   * error is not a terminal, when {@code CI} is set (to anything but {@code false} or {@code 0})
   * or when {@code TERM=dumb}, and {@link #TTY} otherwise; other modes stay as they are.
   */
  public ProgressMode resolve(Terminal terminal, Map<String, String> env) {
    if (this != AUTO) {
      return this;
    }
    if (!terminal.stderrIsTerminal() || isCi(env) || "dumb".equals(env.get("TERM"))) {
      return PLAIN;
    }
    return TTY;
  }

  static boolean isCi(Map<String, String> env) {
    String ci = env.get("CI");
    return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }
}
