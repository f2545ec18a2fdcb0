package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;

/**
 * {@code MAINTAINER <name>} (deprecated; sets the image author).
 *
 * @param name the value as written
 */
public record Maintainer(SourceLocation location, String original, String name)
    implements Instruction {

  public Maintainer {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String keyword() {
    return "maintainer";
  }
}
