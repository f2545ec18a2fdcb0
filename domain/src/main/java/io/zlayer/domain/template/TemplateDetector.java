package io.zlayer.domain.template;

import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonSyntaxException;
import io.zlayer.domain.json.JsonValue;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the runtime template for a project from the files at its root, in zlayer's order: a
 * Node-style project ({@code package.json}) is Bun with a Bun lockfile, Deno with a Deno config,
 * else Node (version from {@code .nvmrc}, {@code .node-version} or {@code engines.node}); then
 * Deno, Rust, Python (version from {@code .python-version} or {@code requires-python}) and Go.
 */
public final class TemplateDetector {
  private static final Pattern LEADING_MAJOR = Pattern.compile("^\\s*v?(\\d+)");
  private static final Pattern ANY_MAJOR = Pattern.compile("(\\d+)");
  private static final Pattern PYTHON_MINOR = Pattern.compile("3\\.(\\d+)");
  private static final Pattern REQUIRES_PYTHON =
      Pattern.compile("(?m)^\\s*requires-python\\s*=\\s*[\"']([^\"']*)[\"']");

  /** The template chosen and why, e.g. {@code package.json, and .nvmrc asks for Node 22}. */
  public record Detection(RuntimeTemplate template, String reason) {}

  private final Predicate<String> exists;
  private final Function<String, Optional<String>> read;

  private TemplateDetector(Predicate<String> exists, Function<String, Optional<String>> read) {
    this.exists = exists;
    this.read = read;
  }

  /**
   * @param fileExists whether a file of this name (relative to the project root) exists
   * @param readSmallFile the content of such a file, when it exists and is small
   */
  public static Optional<Detection> detect(Predicate<String> fileExists,
      Function<String, Optional<String>> readSmallFile) {
    return new TemplateDetector(fileExists, readSmallFile).run();
  }

  private Optional<Detection> run() {
    if (exists.test("package.json")) {
      for (String lock : new String[] {"bun.lockb", "bun.lock"}) {
        if (exists.test(lock)) {
          return found("bun", "package.json and " + lock);
        }
      }
      for (String config : new String[] {"deno.json", "deno.jsonc"}) {
        if (exists.test(config)) {
          return found("deno", "package.json and " + config);
        }
      }
      return Optional.of(node());
    }
    for (String config : new String[] {"deno.json", "deno.jsonc", "deno.lock"}) {
      if (exists.test(config)) {
        return found("deno", config);
      }
    }
    if (exists.test("Cargo.toml")) {
      return found("rust", "Cargo.toml");
    }
    for (String marker : new String[] {"pyproject.toml", "requirements.txt", "setup.py",
        "Pipfile", "poetry.lock"}) {
      if (exists.test(marker)) {
        return Optional.of(python(marker));
      }
    }
    if (exists.test("go.mod")) {
      return found("go", "go.mod");
    }
    return Optional.empty();
  }

  private Detection node() {
    for (String file : new String[] {".nvmrc", ".node-version"}) {
      Optional<String> text = read.apply(file).map(String::trim).filter(s -> !s.isEmpty());
      if (text.isPresent()) {
        Optional<Integer> major = nodeMajor(text.get());
        if (major.isPresent()) {
          return nodeFor(major.get(), "package.json, and " + file + " asks for Node "
              + text.get());
        }
      }
    }
    Optional<String> engines = read.apply("package.json").flatMap(TemplateDetector::enginesNode);
    if (engines.isPresent()) {
      Matcher m = ANY_MAJOR.matcher(engines.get());
      if (m.find()) {
        return nodeFor(Integer.parseInt(m.group(1)), "package.json, whose engines.node is \""
            + engines.get() + "\"");
      }
    }
    return new Detection(RuntimeTemplates.get("node20"),
        "package.json (no Node version given: the LTS template)");
  }

  private static Detection nodeFor(int major, String reason) {
    return new Detection(RuntimeTemplates.get(major >= 22 ? "node22" : "node20"), reason);
  }

  private static Optional<Integer> nodeMajor(String version) {
    String v = version.toLowerCase(java.util.Locale.ROOT);
    if (v.equals("node") || v.equals("lts/*") || v.equals("lts/jod") || v.equals("latest")) {
      return Optional.of(22);
    }
    if (v.equals("lts/iron")) {
      return Optional.of(20);
    }
    Matcher m = LEADING_MAJOR.matcher(v);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  private static Optional<String> enginesNode(String packageJson) {
    try {
      JsonValue root = Json.parse(packageJson);
      if (root instanceof JsonValue.JsonObject o) {
        Optional<JsonValue> engines = o.get("engines");
        if (engines.isPresent() && engines.get() instanceof JsonValue.JsonObject e) {
          Optional<JsonValue> node = e.get("node");
          if (node.isPresent() && node.get() instanceof JsonValue.JsonString s) {
            return Optional.of(s.value());
          }
        }
      }
    } catch (JsonSyntaxException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private Detection python(String marker) {
    Optional<String> pinned = read.apply(".python-version").map(String::trim)
        .filter(s -> !s.isEmpty());
    if (pinned.isPresent()) {
      Matcher m = PYTHON_MINOR.matcher(pinned.get());
      if (m.lookingAt()) {
        return pythonFor(Integer.parseInt(m.group(1)), marker + ", and .python-version asks for "
            + pinned.get());
      }
    }
    Optional<String> requires = read.apply("pyproject.toml").flatMap(text -> {
      Matcher m = REQUIRES_PYTHON.matcher(text);
      return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
    });
    if (requires.isPresent()) {
      Matcher m = PYTHON_MINOR.matcher(requires.get());
      if (m.find()) {
        return pythonFor(Integer.parseInt(m.group(1)), marker + ", and requires-python is \""
            + requires.get() + "\"");
      }
    }
    return new Detection(RuntimeTemplates.get("python312"),
        marker + " (no Python version given: the 3.12 template)");
  }

  private static Detection pythonFor(int minor, String reason) {
    return new Detection(RuntimeTemplates.get(minor >= 13 ? "python313" : "python312"), reason);
  }

  private static Optional<Detection> found(String template, String reason) {
    return Optional.of(new Detection(RuntimeTemplates.get(template), reason));
  }
}
