package io.zlayer.domain.build;

import java.util.Objects;
import java.util.Optional;

/**
 * An ARG in scope in a stage, with the value it got (BuildKit's {@code KeyValuePairOptional}).
 *
 * @param name the argument name
 * @param value the value; empty when the ARG has no default, no {@code --build-arg} and no
 *     global value (the variable stays unset)
 */
public record ArgBinding(String name, Optional<String> value) {
  public ArgBinding {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
