package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Objects;

/**
 * {@code VOLUME <path> …} or {@code VOLUME ["<path>", …]}.
 *
 * @param paths the mount points, trimmed, unexpanded, never empty strings
 */
public record Volume(SourceLocation location, String original, List<String> paths)
    implements Instruction, Expandable<Volume> {

  public Volume {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    paths = List.copyOf(paths);
  }

  @Override
  public String keyword() {
    return "volume";
  }

  @Override
  public Volume expand(WordExpander expander) throws DockerfileException {
    Expansion x = new Expansion(expander, location);
    List<String> out = x.each(paths);
    for (String p : out) {
      if (p.isEmpty()) {
        throw x.error("VOLUME specified can not be an empty string");
      }
    }
    return new Volume(location, original, out);
  }
}
