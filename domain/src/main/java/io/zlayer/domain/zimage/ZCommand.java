package io.zlayer.domain.zimage;

import java.util.List;

/** A command written either as one shell string or as an exec-form list of arguments. */
public sealed interface ZCommand {
  /** Run by {@code /bin/sh -c}; may span several lines. */
  record Shell(String text) implements ZCommand {}

  /** Run directly, without a shell. */
  record Exec(List<String> arguments) implements ZCommand {
    public Exec {
      arguments = List.copyOf(arguments);
    }
  }
}
