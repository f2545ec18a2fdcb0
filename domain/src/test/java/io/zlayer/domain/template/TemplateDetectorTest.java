package io.zlayer.domain.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateDetectorTest {
  /** Detects in a project made of these files (name to content). */
  private static Optional<TemplateDetector.Detection> detect(String... namesAndContents) {
    Map<String, String> files = new java.util.HashMap<>();
    for (int i = 0; i < namesAndContents.length; i += 2) {
      files.put(namesAndContents[i], namesAndContents[i + 1]);
    }
    return TemplateDetector.detect(files::containsKey, n -> Optional.ofNullable(files.get(n)));
  }

  private static String name(String... files) {
    return detect(files).map(d -> d.template().name()).orElse("none");
  }

  @Test
  void eachTemplatesMarkers() {
    assertEquals("node20", name("package.json", "{}"));
    assertEquals("bun", name("package.json", "{}", "bun.lockb", ""));
    assertEquals("bun", name("package.json", "{}", "bun.lock", ""));
    assertEquals("deno", name("package.json", "{}", "deno.json", "{}"));
    assertEquals("deno", name("deno.jsonc", "{}"));
    assertEquals("deno", name("deno.lock", "{}"));
    assertEquals("rust", name("Cargo.toml", "[package]"));
    assertEquals("python312", name("requirements.txt", "flask"));
    assertEquals("python312", name("pyproject.toml", "[project]"));
    assertEquals("python312", name("setup.py", ""));
    assertEquals("python312", name("Pipfile", ""));
    assertEquals("python312", name("poetry.lock", ""));
    assertEquals("go", name("go.mod", "module example.com/app"));
    assertEquals("none", name("README.md", "hello"));
  }

  @Test
  void orderFollowsTheSeed() {
    assertEquals("node20", name("package.json", "{}", "Cargo.toml", ""));
    assertEquals("deno", name("deno.json", "{}", "Cargo.toml", ""));
    assertEquals("rust", name("Cargo.toml", "", "requirements.txt", ""));
    assertEquals("python312", name("requirements.txt", "", "go.mod", ""));
  }

  @Test
  void nodeVersionHints() {
    assertEquals("node22", name("package.json", "{}", ".nvmrc", "v22.3.0\n"));
    assertEquals("node20", name("package.json", "{}", ".nvmrc", "20"));
    assertEquals("node22", name("package.json", "{}", ".node-version", "24.1"));
    assertEquals("node22", name("package.json", "{}", ".nvmrc", "lts/jod"));
    assertEquals("node20", name("package.json", "{}", ".nvmrc", "lts/iron"));
    assertEquals("node22", name("package.json", "{\"engines\": {\"node\": \">=22\"}}"));
    assertEquals("node20", name("package.json", "{\"engines\": {\"node\": \"^18 || ^20\"}}"));
    assertEquals("node20", name("package.json", "not json"));
    assertEquals("package.json, and .nvmrc asks for Node v22.3.0",
        detect("package.json", "{}", ".nvmrc", "v22.3.0\n").orElseThrow().reason());
  }

  @Test
  void pythonVersionHints() {
    assertEquals("python313", name("requirements.txt", "", ".python-version", "3.13.1"));
    assertEquals("python312", name("requirements.txt", "", ".python-version", "3.12"));
    assertEquals("python313", name("pyproject.toml",
        "[project]\nname = \"x\"\nrequires-python = \">=3.13\"\n"));
    assertEquals("python312", name("pyproject.toml", "[project]\nrequires-python = '>=3.10'\n"));
    assertEquals("pyproject.toml, and requires-python is \">=3.13\"",
        detect("pyproject.toml", "requires-python = \">=3.13\"").orElseThrow().reason());
  }
}
