package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.Objects;

/**
 * {@code USER <user>[:<group>]}.
 *
 * @param user the value as written, unexpanded
 */
public record User(SourceLocation location, String original, String user)
    implements Instruction, Expandable<User> {

  public User {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(user, "user");
  }

  @Override
  public String keyword() {
    return "user";
  }

  @Override
  public User expand(WordExpander expander) throws DockerfileException {
    return new User(location, original, new Expansion(expander, location).word(user));
  }
}
