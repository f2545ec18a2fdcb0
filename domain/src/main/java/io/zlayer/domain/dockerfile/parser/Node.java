package io.zlayer.domain.dockerfile.parser;

import java.util.List;

/**
 * One node of the raw Dockerfile AST, mirroring BuildKit's {@code parser.Node}.
 *
 * <p>The root node has one child per instruction. An instruction node has {@code value} = the
 * lower-cased keyword, its {@code flags} ("--from=build" …), and its arguments as the flattened
 * {@code next} chain of leaf nodes (BuildKit's {@code Next} list). For ENV/LABEL/ARG the chain
 * holds key, value, separator triples as BuildKit produces them. For ONBUILD the single
 * {@code next} node carries the nested instruction as its only child.
 *
 * @param value the keyword (instruction nodes) or word (argument nodes)
 * @param next argument nodes in order (BuildKit's Next chain, flattened)
 * @param children instructions (root) or the nested instruction (ONBUILD argument)
 * @param heredocs heredocs attached to a RUN/COPY/ADD instruction, in order
 * @param json true when the arguments were written in JSON (exec) form
 * @param original the instruction's original text (continuation lines joined)
 * @param flags the instruction's {@code --flag[=value]} words, in order
 * @param startLine 1-based first line of the instruction
 * @param endLine 1-based last line of the instruction (heredoc bodies included)
 * @param prevComments comment lines immediately preceding the instruction
 */
public record Node(
    String value,
    List<Node> next,
    List<Node> children,
    List<Heredoc> heredocs,
    boolean json,
    String original,
    List<String> flags,
    int startLine,
    int endLine,
    List<String> prevComments) {

  public Node {
    next = List.copyOf(next);
    children = List.copyOf(children);
    heredocs = List.copyOf(heredocs);
    flags = List.copyOf(flags);
    prevComments = List.copyOf(prevComments);
  }

  /** A leaf argument node holding one word. */
  public static Node leaf(String value) {
    return new Node(value, List.of(), List.of(), List.of(), false, "", List.of(), 0, 0, List.of());
  }

  /** The argument words of this instruction node (values of the {@code next} chain). */
  public List<String> words() {
    return next.stream().map(Node::value).toList();
  }
}
