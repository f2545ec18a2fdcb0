package io.zlayer.domain.zimage;

import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile made from a ZImagefile.
 *
 * @param text the Dockerfile
 * @param fileName the name it goes by in messages ({@code ZImagefile.Dockerfile})
 * @param origins for each 1-based line, the ZImagefile field it came from (template lines and
 *     comments have none)
 */
public record GeneratedDockerfile(String text, String fileName, Map<Integer, TreePath> origins) {
  public GeneratedDockerfile {
    origins = Map.copyOf(origins);
  }

  public Optional<TreePath> originOf(int line) {
    return Optional.ofNullable(origins.get(line));
  }
}
