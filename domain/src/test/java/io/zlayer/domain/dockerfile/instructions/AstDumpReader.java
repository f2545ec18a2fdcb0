package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.dockerfile.parser.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one line of BuildKit's {@code AST.Dump()} ({@code (keyword ["flag" …] "arg" …)}, with
 * ONBUILD as {@code (onbuild (run "x"))}) back into a node. The dump drops the JSON attribute;
 * a RUN/CMD/ENTRYPOINT/SHELL with other than one argument can only be the JSON form.
 */
final class AstDumpReader {
  private final String text;
  private int pos;

  private AstDumpReader(String text) {
    this.text = text;
  }

  static Node read(String line, int lineNumber) {
    AstDumpReader r = new AstDumpReader(line);
    Node node = r.instruction(lineNumber);
    if (r.pos != line.length()) {
      throw new IllegalArgumentException("trailing text in " + line);
    }
    return node;
  }

  private Node instruction(int lineNumber) {
    expect('(');
    int start = pos;
    while (pos < text.length() && text.charAt(pos) != ' ' && text.charAt(pos) != ')') {
      pos++;
    }
    String keyword = text.substring(start, pos);
    List<String> flags = new ArrayList<>();
    List<Node> next = new ArrayList<>();
    while (peek() == ' ') {
      pos++;
      char c = peek();
      if (c == '[') {
        pos++;
        while (peek() != ']') {
          if (peek() == ' ') {
            pos++;
          }
          flags.add(string());
        }
        pos++;
      } else if (c == '(') {
        Node nested = instruction(0);
        next.add(new Node("", List.of(), List.of(nested), List.of(), false, "", List.of(), 0, 0,
            List.of()));
      } else {
        next.add(Node.leaf(string()));
      }
    }
    expect(')');
    boolean json = List.of("run", "cmd", "entrypoint", "shell").contains(keyword)
        && next.size() != 1;
    StringBuilder original = new StringBuilder(keyword.toUpperCase(java.util.Locale.ROOT));
    flags.forEach(f -> original.append(' ').append(f));
    next.forEach(n -> original.append(' ').append(n.value()));
    return new Node(keyword, next, List.of(), List.of(), json, original.toString(), flags,
        lineNumber, lineNumber, List.of());
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw new IllegalArgumentException("expected " + c + " at " + pos + " in " + text);
    }
    pos++;
  }

  /** A Go {@code %q} string. */
  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    while (peek() != '"') {
      char c = text.charAt(pos++);
      if (c != '\\') {
        flushBytes(bytes, sb);
        sb.append(c);
        continue;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'a' -> sb.append((char) 7);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append((char) 0x0b);
        case 'x' -> {
          bytes.write(Integer.parseInt(text.substring(pos, pos + 2), 16));
          pos += 2;
        }
        case 'u' -> {
          sb.appendCodePoint(Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        case 'U' -> {
          sb.appendCodePoint(Integer.parseInt(text.substring(pos, pos + 8), 16));
          pos += 8;
        }
        default -> sb.append(e);
      }
    }
    flushBytes(bytes, sb);
    pos++;
    return sb.toString();
  }

  private static void flushBytes(java.io.ByteArrayOutputStream bytes, StringBuilder sb) {
    if (bytes.size() > 0) {
      sb.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
      bytes.reset();
    }
  }
}
