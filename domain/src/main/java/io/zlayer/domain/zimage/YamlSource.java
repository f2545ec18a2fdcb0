package io.zlayer.domain.zimage;

import java.util.Map;

/**
 * Where a document tree came from: the name errors give the file ({@code ZImagefile}, {@code
 * docker/ZPipeline.yaml}) and, when the reader knew them, the 1-based line of each value by its
 * {@link TreePath}. A path without a line of its own takes its nearest enclosing one.
 */
public record YamlSource(String name, Map<String, Integer> lines) {
  public YamlSource {
    lines = Map.copyOf(lines);
  }

  /** A source without line information (a tree built in code). */
  public static YamlSource named(String name) {
    return new YamlSource(name, Map.of());
  }

  /** The line of {@code path} or of its nearest ancestor that has one; 0 when unknown. */
  public int lineOf(TreePath path) {
    TreePath p = path;
    while (true) {
      Integer line = lines.get(p.text());
      if (line != null) {
        return line;
      }
      java.util.Optional<TreePath> up = p.parent();
      if (up.isEmpty()) {
        return 0;
      }
      p = up.get();
    }
  }
}
