package io.zlayer.adapters.registry;

import io.zlayer.domain.error.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The insecure registries of containers' {@code registries.conf}, for filling
 * {@code RegistryOptions.insecureRegistries}. Files, as containers/image reads them:
 * {@code $CONTAINERS_REGISTRIES_CONF} alone when set; otherwise the user's
 * {@code $XDG_CONFIG_HOME/containers/registries.conf} (default {@code ~/.config/…}) if it
 * exists, else {@code /etc/containers/registries.conf}, followed by the {@code *.conf} drop-ins
 * of {@code /etc/containers/registries.conf.d} and the user's {@code registries.conf.d} in
 * name order. A later entry for the same location overrides an earlier one.
 *
 * <p>Only what decides insecurity is read: {@code [[registry]]} tables with {@code location}
 * (or {@code prefix}) and {@code insecure}, and the version 1 list
 * {@code [registries.insecure] registries = [...]}. An entry's host (its path dropped) is what
 * becomes insecure; a wildcard prefix ({@code *.example.com}) stays a wildcard.
 */
public final class RegistriesConf {
  private final Set<String> insecure;
  private final List<Path> sources;

  private RegistriesConf(Set<String> insecure, List<Path> sources) {
    this.insecure = Set.copyOf(insecure);
    this.sources = List.copyOf(sources);
  }

  /** From the process environment, the user's home and {@code /etc/containers}. */
  public static RegistriesConf load() throws UsageException {
    return load(System.getenv(), Path.of(System.getProperty("user.home")),
        Path.of("/etc/containers"));
  }

  public static RegistriesConf load(Map<String, String> env, Path home, Path systemDir)
      throws UsageException {
    List<Path> files = new ArrayList<>();
    String explicit = env.get("CONTAINERS_REGISTRIES_CONF");
    if (explicit != null && !explicit.isBlank()) {
      files.add(Path.of(explicit));
    } else {
      String xdg = env.get("XDG_CONFIG_HOME");
      Path userDir = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config"))
          .resolve("containers");
      Path user = userDir.resolve("registries.conf");
      files.add(Files.isRegularFile(user) ? user : systemDir.resolve("registries.conf"));
      files.addAll(dropIns(systemDir.resolve("registries.conf.d")));
      files.addAll(dropIns(userDir.resolve("registries.conf.d")));
    }
    Map<String, Boolean> byHost = new LinkedHashMap<>();
    List<Path> read = new ArrayList<>();
    for (Path f : files) {
      Optional<String> text = readIfExists(f);
      if (text.isPresent()) {
        read.add(f);
        new Parser(f, text.get(), byHost).parse();
      }
    }
    Set<String> insecure = new TreeSet<>();
    byHost.forEach((host, flag) -> {
      if (flag) {
        insecure.add(host);
      }
    });
    return new RegistriesConf(insecure, read);
  }

  /** Parses one file's text (for tests). */
  static RegistriesConf parse(Path name, String text) throws UsageException {
    Map<String, Boolean> byHost = new LinkedHashMap<>();
    new Parser(name, text, byHost).parse();
    Set<String> insecure = new TreeSet<>();
    byHost.forEach((host, flag) -> {
      if (flag) {
        insecure.add(host);
      }
    });
    return new RegistriesConf(insecure, List.of(name));
  }

  /** Hosts ({@code host[:port]}, or {@code *.domain}) marked insecure. */
  public Set<String> insecureRegistries() {
    return insecure;
  }

  /** The files that were read, in order. */
  public List<Path> sources() {
    return sources;
  }

  private static List<Path> dropIns(Path dir) throws UsageException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.conf")) {
      ds.forEach(out::add);
    } catch (IOException e) {
      throw new UsageException("cannot list " + dir + ": " + e.getMessage());
    }
    out.sort(null);
    return out;
  }

  private static Optional<String> readIfExists(Path f) throws UsageException {
    try {
      return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (!Files.exists(f)) {
        return Optional.empty();
      }
      throw new UsageException("cannot read " + f + ": " + e.getMessage());
    }
  }

  /**
   * The TOML subset registries.conf uses: comments, {@code [table]}, {@code [[array.table]]},
   * {@code key = value} with basic and literal strings, booleans, numbers, (multi-line) arrays
   * and inline tables (skipped).
   */
  private static final class Parser {
    private final Path file;
    private final String text;
    private final Map<String, Boolean> byHost;
    private int pos;
    private int line = 1;
    private String table = "";
    private Map<String, Object> registry;

    Parser(Path file, String text, Map<String, Boolean> byHost) {
      this.file = file;
      this.text = text;
      this.byHost = byHost;
    }

    void parse() throws UsageException {
      while (true) {
        skipBlankAndComments();
        if (pos >= text.length()) {
          break;
        }
        char c = text.charAt(pos);
        if (c == '[') {
          header();
        } else {
          keyValue();
        }
      }
      finishRegistry();
    }

    private void header() throws UsageException {
      boolean array = text.startsWith("[[", pos);
      pos += array ? 2 : 1;
      int end = text.indexOf(array ? "]]" : "]", pos);
      int eol = lineEnd();
      if (end < 0 || end > eol) {
        throw error("unterminated table header");
      }
      String name = text.substring(pos, end).trim().replace(" ", "");
      pos = end + (array ? 2 : 1);
      expectLineEnd();
      finishRegistry();
      table = name;
      if (array && name.equals("registry")) {
        registry = new LinkedHashMap<>();
      }
    }

    private void keyValue() throws UsageException {
      int start = pos;
      while (pos < text.length() && "=\n".indexOf(text.charAt(pos)) < 0) {
        pos++;
      }
      if (pos >= text.length() || text.charAt(pos) != '=') {
        throw error("expected key = value");
      }
      String key = text.substring(start, pos).trim();
      if (key.startsWith("\"") && key.endsWith("\"") && key.length() >= 2) {
        key = key.substring(1, key.length() - 1);
      }
      if (key.isEmpty()) {
        throw error("missing key");
      }
      pos++;
      skipSpaces();
      Object value = value();
      expectLineEnd();
      if (table.equals("registry") && registry != null) {
        registry.put(key, value);
      } else if (table.equals("registries.insecure") && key.equals("registries")) {
        if (!(value instanceof List<?> list)) {
          throw error("registries must be an array of strings");
        }
        for (Object o : list) {
          if (o instanceof String s && !s.isBlank()) {
            byHost.put(host(s), true);
          }
        }
      }
    }

    private void finishRegistry() throws UsageException {
      if (registry == null) {
        return;
      }
      Map<String, Object> r = registry;
      registry = null;
      Object location = r.get("location");
      Object prefix = r.get("prefix");
      String where = location instanceof String l && !l.isBlank() ? l
          : prefix instanceof String p && !p.isBlank() ? p : null;
      if (where == null) {
        return;
      }
      Object insecure = r.get("insecure");
      if (insecure != null && !(insecure instanceof Boolean)) {
        throw error("insecure of " + where + " must be true or false");
      }
      byHost.put(host(where), Boolean.TRUE.equals(insecure));
    }

    private static String host(String location) {
      String l = location.trim();
      int scheme = l.indexOf("://");
      if (scheme >= 0) {
        l = l.substring(scheme + 3);
      }
      int slash = l.indexOf('/');
      return (slash >= 0 ? l.substring(0, slash) : l).toLowerCase(java.util.Locale.ROOT);
    }

    private Object value() throws UsageException {
      if (pos >= text.length()) {
        throw error("missing value");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        return basicString();
      }
      if (c == '\'') {
        return literalString();
      }
      if (c == '[') {
        return array();
      }
      if (c == '{') {
        skipInlineTable();
        return Map.of();
      }
      int start = pos;
      while (pos < text.length() && ",]}#\n \t\r".indexOf(text.charAt(pos)) < 0) {
        pos++;
      }
      String bare = text.substring(start, pos);
      if (bare.equals("true")) {
        return Boolean.TRUE;
      }
      if (bare.equals("false")) {
        return Boolean.FALSE;
      }
      if (bare.matches("[+-]?[0-9_]+(\\.[0-9_]+)?([eE][+-]?[0-9]+)?")) {
        return bare;
      }
      throw error("unsupported value \"" + bare + "\"");
    }

    private String basicString() throws UsageException {
      if (text.startsWith("\"\"\"", pos)) {
        throw error("multi-line strings are not supported here");
      }
      pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\n') {
          break;
        }
        if (c == '\\' && pos < text.length()) {
          char e = text.charAt(pos++);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case 'u', 'U' -> {
              int len = e == 'u' ? 4 : 8;
              if (pos + len > text.length()) {
                throw error("bad unicode escape");
              }
              try {
                sb.appendCodePoint(Integer.parseInt(text.substring(pos, pos + len), 16));
              } catch (IllegalArgumentException ex) {
                throw error("bad unicode escape");
              }
              pos += len;
            }
            default -> throw error("bad escape \\" + e);
          }
        } else {
          sb.append(c);
        }
      }
      throw error("unterminated string");
    }

    private String literalString() throws UsageException {
      pos++;
      int end = text.indexOf('\'', pos);
      if (end < 0 || end > lineEnd()) {
        throw error("unterminated string");
      }
      String s = text.substring(pos, end);
      pos = end + 1;
      return s;
    }

    private List<Object> array() throws UsageException {
      pos++;
      List<Object> out = new ArrayList<>();
      while (true) {
        skipBlankAndComments();
        if (pos >= text.length()) {
          throw error("unterminated array");
        }
        if (text.charAt(pos) == ']') {
          pos++;
          return out;
        }
        out.add(value());
        skipBlankAndComments();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
        } else if (pos >= text.length() || text.charAt(pos) != ']') {
          throw error("expected , or ] in array");
        }
      }
    }

    private void skipInlineTable() throws UsageException {
      int depth = 0;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '"') {
          basicString();
          continue;
        }
        if (c == '\'') {
          literalString();
          continue;
        }
        pos++;
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          return;
        } else if (c == '\n') {
          line++;
        }
      }
      throw error("unterminated inline table");
    }

    private void skipSpaces() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private void skipBlankAndComments() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '#') {
          pos = lineEnd();
        } else if (c == '\n') {
          line++;
          pos++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else {
          return;
        }
      }
    }

    private void expectLineEnd() throws UsageException {
      skipSpaces();
      if (pos < text.length() && text.charAt(pos) == '#') {
        pos = lineEnd();
      }
      if (pos < text.length() && text.charAt(pos) == '\r') {
        pos++;
      }
      if (pos < text.length() && text.charAt(pos) != '\n') {
        throw error("unexpected text after the value");
      }
    }

    private int lineEnd() {
      int nl = text.indexOf('\n', pos);
      return nl < 0 ? text.length() : nl;
    }

    private UsageException error(String what) {
      return new UsageException(file + ":" + line + ": " + what,
          "fix the file (see containers-registries.conf(5))");
    }
  }
}
