package io.zlayer.domain.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The runtime templates zlayer ships (Linux ones): their Dockerfiles are resources beside this
 * class, and each passes the whole Dockerfile front end.
 */
public final class RuntimeTemplates {
  private static final List<RuntimeTemplate> ALL = List.of(
      load("node20", "Node.js 20 (LTS) on Alpine, production dependencies, non-root",
          List.of("node-20", "nodejs20", "node"), List.of("package.json")),
      load("node22", "Node.js 22 on Alpine, production dependencies, non-root",
          List.of("node-22", "nodejs22"), List.of("package.json")),
      load("python312", "Python 3.12 slim, dependencies in a virtualenv, non-root",
          List.of("python-312", "python3.12", "python"),
          List.of("requirements.txt", "pyproject.toml", "setup.py", "Pipfile", "poetry.lock")),
      load("python313", "Python 3.13 slim, dependencies in a virtualenv, non-root",
          List.of("python-313", "python3.13"),
          List.of("requirements.txt", "pyproject.toml", "setup.py", "Pipfile", "poetry.lock")),
      load("rust", "Rust release build, static musl binary on Alpine, non-root",
          List.of("rs"), List.of("Cargo.toml")),
      load("go", "Go static binary on Alpine, non-root",
          List.of("golang"), List.of("go.mod")),
      load("deno", "Deno with dependencies installed ahead, non-root",
          List.of(), List.of("deno.json", "deno.jsonc", "deno.lock")),
      load("bun", "Bun with production dependencies, non-root",
          List.of(), List.of("bun.lockb", "bun.lock")));

  private RuntimeTemplates() {}

  /** Every template, in the order {@code zlayer templates list} shows them. */
  public static List<RuntimeTemplate> all() {
    return ALL;
  }

  /** The template with this name or alias (case-insensitive). */
  public static Optional<RuntimeTemplate> find(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (RuntimeTemplate t : ALL) {
      if (t.name().equals(wanted) || t.aliases().contains(wanted)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The canonical names, for messages ("node20, node22, …"). */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    ALL.forEach(t -> names.add(t.name()));
    return names;
  }

  public static RuntimeTemplate get(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("no template " + name));
  }

  private static RuntimeTemplate load(String name, String description, List<String> aliases,
      List<String> detectFiles) {
    String resource = name + ".Dockerfile";
    try (InputStream in = RuntimeTemplates.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("template resource missing: " + resource);
      }
      return new RuntimeTemplate(name, description, aliases,
          new String(in.readAllBytes(), StandardCharsets.UTF_8), detectFiles);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template " + resource, e);
    }
  }
}
