package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.dockerfile.parser.Heredoc;
import io.zlayer.domain.dockerfile.parser.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Builds AST nodes the way BuildKit's parser shapes them, for tests. */
final class Nodes {

  private Nodes() {}

  static Builder instruction(String keyword) {
    return new Builder(keyword);
  }

  /** {@code ENV}/{@code LABEL} style: key, value, separator triples. */
  static Builder keyValues(String keyword, String... triples) {
    if (triples.length % 3 != 0) {
      throw new IllegalArgumentException("triples expected");
    }
    return new Builder(keyword).args(triples);
  }

  static Node root(Node... children) {
    return new Node("", List.of(), List.of(children), List.of(), false, "", List.of(), 0, 0,
        List.of());
  }

  static final class Builder {
    private final String keyword;
    private final List<Node> next = new ArrayList<>();
    private final List<String> flags = new ArrayList<>();
    private final List<Heredoc> heredocs = new ArrayList<>();
    private boolean json;
    private String original;
    private int startLine = 1;
    private int endLine = -1;

    private Builder(String keyword) {
      this.keyword = keyword;
    }

    Builder args(String... words) {
      for (String w : words) {
        next.add(Node.leaf(w));
      }
      return this;
    }

    Builder flags(String... words) {
      flags.addAll(Arrays.asList(words));
      return this;
    }

    Builder json() {
      this.json = true;
      return this;
    }

    Builder heredoc(String name, String content, boolean expand, boolean chomp) {
      heredocs.add(new Heredoc(name, content, expand, chomp));
      return this;
    }

    Builder line(int line) {
      this.startLine = line;
      return this;
    }

    Builder lines(int start, int end) {
      this.startLine = start;
      this.endLine = end;
      return this;
    }

    Builder original(String text) {
      this.original = text;
      return this;
    }

    /** ONBUILD's shape: one argument node whose only child is the nested instruction. */
    Builder nested(Node instruction) {
      next.add(new Node("", List.of(), List.of(instruction), List.of(), false, "", List.of(),
          0, 0, List.of()));
      return this;
    }

    Node build() {
      String text = original != null ? original : defaultOriginal();
      return new Node(keyword.toLowerCase(Locale.ROOT), next, List.of(), heredocs, json, text,
          flags, startLine, endLine < 0 ? startLine : endLine, List.of());
    }

    private String defaultOriginal() {
      StringBuilder sb = new StringBuilder(keyword.toUpperCase(Locale.ROOT));
      for (String f : flags) {
        sb.append(' ').append(f);
      }
      List<String> words = next.stream().map(Node::value).toList();
      if (json) {
        sb.append(' ').append(words.stream().map(w -> '"' + w + '"')
            .collect(Collectors.joining(", ", "[", "]")));
      } else if (!words.isEmpty()) {
        sb.append(' ').append(String.join(" ", words));
      }
      return sb.toString();
    }
  }
}
