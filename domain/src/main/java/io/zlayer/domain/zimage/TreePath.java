package io.zlayer.domain.zimage;

import java.util.regex.Pattern;

/**
 * Where a value sits in a YAML document, written as users read it: {@code
 * stages.builder.steps[2].run}, {@code labels["org.opencontainers.image.title"]}. The root is the
 * empty path. Readers that record line numbers by path use the same rendering, so a path made here
 * finds the line recorded there.
 */
public record TreePath(String text) {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  public static final TreePath ROOT = new TreePath("");

  public TreePath child(String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return new TreePath(text.isEmpty() ? key : text + "." + key);
    }
    return new TreePath(text + "[" + quote(key) + "]");
  }

  public TreePath index(int i) {
    return new TreePath(text + "[" + i + "]");
  }

  public boolean isRoot() {
    return text.isEmpty();
  }

  /** The enclosing path, or empty for the root. */
  public java.util.Optional<TreePath> parent() {
    if (text.isEmpty()) {
      return java.util.Optional.empty();
    }
    int cut = -1;
    boolean inQuote = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inQuote) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inQuote = false;
        }
      } else if (c == '"') {
        inQuote = true;
      } else if (c == '.' || c == '[') {
        cut = i;
      }
    }
    return java.util.Optional.of(cut <= 0 ? ROOT : new TreePath(text.substring(0, cut)));
  }

  private static String quote(String key) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
