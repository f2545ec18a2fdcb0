package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;
import java.util.Optional;

/**
 * One name declared by ARG, with its default when written as {@code name=value}.
 *
 * @param name the argument name
 * @param defaultValue the default ({@code ARG a=} gives an empty, present default)
 */
public record ArgDefinition(String name, Optional<String> defaultValue) {

  public ArgDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }
}
