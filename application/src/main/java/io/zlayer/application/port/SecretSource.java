package io.zlayer.application.port;

import java.nio.file.Path;

/**
 * A build secret ({@code --secret id=ID,src=FILE} or {@code --secret id=ID,env=VAR}). The value
 * never appears in {@link #toString()}, logs, cache keys or layers.
 */
public sealed interface SecretSource {
  String id();

  /** The secret is the content of a file on the build host. */
  record FromFile(String id, Path file) implements SecretSource {}

  /** The secret is the value of an environment variable of the zlayer process. */
  record FromEnvironment(String id, String variable, String value) implements SecretSource {
    @Override
    public String toString() {
      return "FromEnvironment[id=" + id + ", variable=" + variable + ", value=****]";
    }
  }
}
