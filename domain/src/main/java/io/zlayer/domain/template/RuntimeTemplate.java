package io.zlayer.domain.template;

import java.util.List;

/**
 * A runtime template: a ready-made Dockerfile for a common kind of project, chosen by name
 * ({@code zlayer build --runtime node22}, {@code runtime: node22} in a ZImagefile) or detected
 * from the project's files.
 *
 * @param name the canonical name ({@code node22})
 * @param aliases other accepted names ({@code nodejs22}); names match case-insensitively
 * @param detectFiles files whose presence in a project suggests this template
 */
public record RuntimeTemplate(String name, String description, List<String> aliases,
    String dockerfile, List<String> detectFiles) {
  public RuntimeTemplate {
    aliases = List.copyOf(aliases);
    detectFiles = List.copyOf(detectFiles);
  }

  /** The file name under which the template's Dockerfile is shown and reported in errors. */
  public String fileName() {
    return name + ".Dockerfile";
  }
}
