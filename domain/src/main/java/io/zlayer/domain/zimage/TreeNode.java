package io.zlayer.domain.zimage;

import io.zlayer.domain.error.DockerfileException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One value of a YAML document read as a plain tree ({@code Map<String, Object>} in document
 * order, {@code List<Object>}, {@code String}, {@code Boolean}, {@code Number}, {@code null}),
 * with its path, so that every complaint names the file, the line when known, and the field:
 * {@code ZImagefile:12: stages.builder.steps[2]: unknown field "rnu"}.
 */
public final class TreeNode {
  private final Object value;
  private final TreePath path;
  private final YamlSource source;

  private TreeNode(Object value, TreePath path, YamlSource source) {
    this.value = value;
    this.path = path;
    this.source = source;
  }

  public static TreeNode root(Object tree, YamlSource source) {
    return new TreeNode(tree, TreePath.ROOT, source);
  }

  public TreePath path() {
    return path;
  }

  public YamlSource source() {
    return source;
  }

  public boolean isNull() {
    return value == null;
  }

  public boolean isMap() {
    return value instanceof Map;
  }

  public boolean isList() {
    return value instanceof List;
  }

  public boolean isScalar() {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }

  /** A one-line error about this value: {@code SOURCE:LINE: PATH: detail}. */
  public DockerfileException error(String detail) {
    return error(path, detail);
  }

  DockerfileException error(TreePath at, String detail) {
    String text = at.isRoot() ? detail : at + ": " + detail;
    return new DockerfileException(source.name(), source.lineOf(at), text);
  }

  /** The entries of a mapping, in document order. */
  public Map<String, TreeNode> entries() throws DockerfileException {
    if (!(value instanceof Map)) {
      throw error("expected a mapping (key: value lines), got " + describe());
    }
    Map<String, TreeNode> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
      String key = String.valueOf(e.getKey());
      out.put(key, new TreeNode(e.getValue(), path.child(key), source));
    }
    return out;
  }

  /**
   * The fields of a mapping whose keys must be among {@code allowed}; an unknown key is an error
   * that lists the known ones (or suggests the nearest).
   */
  public Map<String, TreeNode> fields(Collection<String> allowed) throws DockerfileException {
    Map<String, TreeNode> out = entries();
    for (String key : out.keySet()) {
      if (!allowed.contains(key)) {
        TreePath at = path.child(key);
        Optional<String> near = closest(key, allowed);
        String text = "unknown field \"" + key + "\""
            + near.map(n -> " (did you mean " + n + "?)")
                .orElse(" (expected one of " + String.join(", ", allowed) + ")");
        // reported against the mapping, on the line of the unknown key
        throw new DockerfileException(source.name(), source.lineOf(at),
            path.isRoot() ? text : path + ": " + text);
      }
    }
    return out;
  }

  public List<TreeNode> elements() throws DockerfileException {
    if (!(value instanceof List)) {
      throw error("expected a list, got " + describe());
    }
    List<TreeNode> out = new ArrayList<>();
    List<?> list = (List<?>) value;
    for (int i = 0; i < list.size(); i++) {
      out.add(new TreeNode(list.get(i), path.index(i), source));
    }
    return out;
  }

  /** A scalar as text: strings as they are, numbers and booleans as written. */
  public String string() throws DockerfileException {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean || value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof java.math.BigInteger) {
      return value.toString();
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Number n) {
      return BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString();
    }
    throw error("expected a string, got " + describe());
  }

  /** A string that must not be empty. */
  public String nonEmptyString() throws DockerfileException {
    String s = string();
    if (s.isEmpty()) {
      throw error("must not be empty");
    }
    return s;
  }

  /** A single string or a list of strings. */
  public List<String> stringOrList() throws DockerfileException {
    if (value instanceof List) {
      List<String> out = new ArrayList<>();
      for (TreeNode e : elements()) {
        out.add(e.string());
      }
      return out;
    }
    return List.of(string());
  }

  public List<String> stringList() throws DockerfileException {
    List<String> out = new ArrayList<>();
    for (TreeNode e : elements()) {
      out.add(e.string());
    }
    return out;
  }

  /** A mapping of names to scalar values, in document order. */
  public Map<String, String> stringMap() throws DockerfileException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, TreeNode> e : entries().entrySet()) {
      out.put(e.getKey(), e.getValue().string());
    }
    return out;
  }

  /** An integer in {@code [min, max]}, given as a number or as decimal text. */
  public long integer(long min, long max) throws DockerfileException {
    String text;
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof String) {
      text = value.toString().trim();
    } else {
      throw error("expected a whole number, got " + describe());
    }
    long n;
    try {
      n = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw error("expected a whole number, got \"" + text + "\"");
    }
    if (n < min || n > max) {
      throw error(n + " is out of range (" + min + " to " + max + ")");
    }
    return n;
  }

  public boolean bool() throws DockerfileException {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw error("expected true or false, got " + describe());
  }

  /** What the value is, for error messages: {@code a list}, {@code "abc"}, {@code nothing}. */
  public String describe() {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof Map) {
      return "a mapping";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    return value.toString();
  }

  /** The option nearest to {@code typed} (at most two edits away), if any. */
  public static Optional<String> closest(String typed, Collection<String> options) {
    String best = null;
    int bestDistance = 3;
    for (String o : options) {
      int d = distance(typed.toLowerCase(java.util.Locale.ROOT),
          o.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = o;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
