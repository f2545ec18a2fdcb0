package io.zlayer.domain.dockerfile.shell;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The variables a word is expanded against. Names are compared exactly (Unix semantics: case
 * matters). {@code Optional.empty()} means unset, which differs from set-but-empty for operators
 * such as {@code ${V-word}} and {@code ${V?message}}.
 */
@FunctionalInterface
public interface VariableLookup {

  Optional<String> lookup(String name);

  /** No variable is set. */
  static VariableLookup empty() {
    return name -> Optional.empty();
  }

  /** The variables of a map (copied). */
  static VariableLookup of(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(variables);
    return name -> Optional.ofNullable(copy.get(name));
  }

  /**
   * Variables from {@code KEY=value} entries, as BuildKit's {@code BuildEnvs}: the key ends at the
   * first {@code =}, an entry without {@code =} sets the key to the empty string, and a later
   * entry for the same key wins.
   */
  static VariableLookup ofEntries(List<String> entries) {
    Map<String, String> map = new HashMap<>();
    for (String entry : entries) {
      Objects.requireNonNull(entry, "entry");
      int eq = entry.indexOf('=');
      if (eq < 0) {
        map.put(entry, "");
      } else {
        map.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return of(map);
  }
}
