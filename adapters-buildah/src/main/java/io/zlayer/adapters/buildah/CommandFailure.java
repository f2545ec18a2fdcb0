package io.zlayer.adapters.buildah;

import java.util.List;

/**
 * A buildah command exited non-zero or could not start. The engine turns it into a {@code
 * BuildException} naming the Dockerfile step.
 */
final class CommandFailure extends Exception {
  private final String subcommand;
  private final int exitCode;
  private final List<String> stderrTail;

  CommandFailure(String subcommand, int exitCode, List<String> stderrTail) {
    super("buildah " + subcommand + " failed (exit status " + exitCode + ")"
        + reason(stderrTail).map(r -> ": " + r).orElse(""));
    this.subcommand = subcommand;
    this.exitCode = exitCode;
    this.stderrTail = List.copyOf(stderrTail);
  }

  CommandFailure(String subcommand, Exception cause) {
    super("cannot run buildah " + subcommand + ": " + cause.getMessage(), cause);
    this.subcommand = subcommand;
    this.exitCode = -1;
    this.stderrTail = List.of();
  }

  String subcommand() {
    return subcommand;
  }

  int exitCode() {
    return exitCode;
  }

  List<String> stderrTail() {
    return stderrTail;
  }

  /** buildah's own explanation: its last {@code Error: …} line, else its last line. */
  String reason() {
    return reason(stderrTail).orElse("exit status " + exitCode);
  }

  static java.util.Optional<String> reason(List<String> tail) {
    for (int i = tail.size() - 1; i >= 0; i--) {
      String line = tail.get(i).strip();
      if (line.startsWith("Error: ")) {
        return java.util.Optional.of(line.substring("Error: ".length()));
      }
    }
    for (int i = tail.size() - 1; i >= 0; i--) {
      if (!tail.get(i).isBlank()) {
        return java.util.Optional.of(tail.get(i).strip());
      }
    }
    return java.util.Optional.empty();
  }
}
