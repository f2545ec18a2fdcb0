package io.zlayer.domain.dockerfile.instructions;

import java.util.List;

/**
 * The command of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD: either shell form (one string the
 * builder hands to the image's SHELL) or exec form (a JSON array run as is).
 */
public sealed interface CommandLine {

  /** {@code RUN echo hi}: run through the shell; BuildKit's {@code PrependShell = true}. */
  record ShellForm(String script) implements CommandLine {}

  /** {@code RUN ["echo", "hi"]}: the argument vector as written. */
  record ExecForm(List<String> argv) implements CommandLine {
    public ExecForm {
      argv = List.copyOf(argv);
    }
  }

  /** True when the builder prepends the shell (shell form). */
  default boolean prependsShell() {
    return this instanceof ShellForm;
  }

  /** BuildKit's {@code CmdLine}: the script as one element, or the exec arguments. */
  default List<String> words() {
    if (this instanceof ShellForm shell) {
      return List.of(shell.script());
    }
    return ((ExecForm) this).argv();
  }
}
