package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A COPY/ADD {@code --chmod} value: an octal mode up to {@code 07777}, or (Dockerfile 1.14+) a
 * symbolic mode in chmod(1) syntax such as {@code u=rwx,go+rx}.
 */
public sealed interface Chmod {

  /** {@code --chmod=0755}. */
  record Octal(int mode) implements Chmod {
    public Octal {
      if (mode < 0 || mode > 07777) {
        throw new IllegalArgumentException("mode out of range: " + Integer.toOctalString(mode));
      }
    }
  }

  /** {@code --chmod=u+x,g-w}: applied to each file's existing mode. */
  record Symbolic(String expression) implements Chmod {
    public Symbolic {
      if (!SYMBOLIC.matcher(expression).matches()) {
        throw new IllegalArgumentException("not a symbolic mode: " + expression);
      }
    }
  }

  /** BSD setmode(3) grammar: clauses of [ugoa]* followed by one or more op [perm]*. */
  Pattern SYMBOLIC =
      Pattern.compile("[ugoa]*([-+=][rstwxXugo]*)+(,[ugoa]*([-+=][rstwxXugo]*)+)*");

  /** Parses a (fully expanded) {@code --chmod} value; errors name the instruction's line. */
  static Chmod parse(String value, SourceLocation location) throws DockerfileException {
    OptionalLong octal = GoSyntax.parseUnsigned(value, 8, 32);
    String octalError = "invalid chmod parameter: '" + value
        + "'. it should be octal string and between 0 and 07777";
    if (octal.isPresent()) {
      if (octal.getAsLong() > 07777) {
        throw new DockerfileException(location.startLine(), octalError);
      }
      return new Octal((int) octal.getAsLong());
    }
    if (!value.isEmpty() && Character.isDigit(value.charAt(0))) {
      // BuildKit keeps the octal message for anything that looks numeric.
      throw new DockerfileException(location.startLine(), octalError);
    }
    if (!SYMBOLIC.matcher(value).matches()) {
      throw new DockerfileException(location.startLine(), "invalid chmod parameter: '" + value
          + "'. it should be an octal mode between 0 and 07777 or a symbolic mode like u+rwx,g-w");
    }
    return new Symbolic(value);
  }
}
