package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;

/**
 * {@code ONBUILD <instruction>}: a trigger stored in the image and run by builds that use it as
 * their base. Never expanded here; the trigger is expanded when it runs downstream.
 *
 * @param expression the trigger text as stored in the image config's {@code OnBuild} list
 *     (BuildKit's {@code Expression}: the original text without {@code ONBUILD}, heredoc bodies
 *     appended)
 * @param trigger the nested instruction, parsed
 */
public record Onbuild(
    SourceLocation location, String original, String expression, Instruction trigger)
    implements Instruction {

  public Onbuild {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(trigger, "trigger");
    if (trigger instanceof Onbuild || trigger instanceof From || trigger instanceof Maintainer) {
      throw new IllegalArgumentException(trigger.keyword() + " cannot be an ONBUILD trigger");
    }
  }

  @Override
  public String keyword() {
    return "onbuild";
  }
}
