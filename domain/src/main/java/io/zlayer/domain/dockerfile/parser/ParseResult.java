package io.zlayer.domain.dockerfile.parser;

import java.util.List;
import java.util.Optional;

/**
 * What BuildKit's {@code parser.Parse} returns: the AST, the escape token in force, the parser
 * directives found at the top, and the warnings.
 *
 * @param root the root node; one child per instruction
 * @param escapeToken {@code \} or {@code `} (from {@code # escape=})
 * @param directives the parser directives, in file order
 * @param warnings non-fatal findings, in file order
 */
public record ParseResult(
    Node root, char escapeToken, List<ParserDirective> directives, List<ParseWarning> warnings) {

  public ParseResult {
    directives = List.copyOf(directives);
    warnings = List.copyOf(warnings);
  }

  /** The value of {@code # syntax=}, e.g. {@code docker/dockerfile:1}. */
  public Optional<String> syntax() {
    return directive("syntax");
  }

  /** The value of {@code # check=}, e.g. {@code skip=JSONArgsRecommended;error=true}. */
  public Optional<String> check() {
    return directive("check");
  }

  /** The value of the named directive (lower-case name). */
  public Optional<String> directive(String name) {
    return directives.stream()
        .filter(d -> d.name().equals(name))
        .map(ParserDirective::value)
        .findFirst();
  }

  /** The instruction nodes (the root's children). */
  public List<Node> instructions() {
    return root.children();
  }
}
