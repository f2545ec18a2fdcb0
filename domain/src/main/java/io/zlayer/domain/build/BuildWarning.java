package io.zlayer.domain.build;

import java.util.Objects;
import java.util.Optional;

/**
 * A finding that does not stop the build: a parser warning, an unused build argument, or one of
 * the BuildKit lint checks that are cheap to run while planning.
 *
 * @param rule BuildKit's rule name when the warning is one of its checks, e.g. {@code
 *     MultipleInstructionsDisallowed}
 * @param line the 1-based Dockerfile line, 0 when the warning is about the whole build
 * @param message the text, worded as BuildKit (or Docker) words it
 */
public record BuildWarning(Optional<String> rule, int line, String message) {

  public BuildWarning {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    if (line < 0) {
      throw new IllegalArgumentException("negative line " + line);
    }
  }

  /** One line for a user: {@code Dockerfile:3: Rule: message}, the parts that are known. */
  public String describe(String sourceName) {
    StringBuilder sb = new StringBuilder();
    if (line > 0) {
      sb.append(sourceName).append(':').append(line).append(": ");
    }
    rule.ifPresent(r -> sb.append(r).append(": "));
    return sb.append(message).toString();
  }
}
