package io.zlayer.domain.dockerfile.parser;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * BuildKit's {@code Node.Dump()}: the AST as s-expressions, one line per instruction, e.g.
 * {@code (copy ["--from=build"] "/app" "/app")}. BuildKit's parser test files ({@code result})
 * hold exactly this text plus a trailing newline.
 */
public final class AstDump {
  private AstDump() {}

  /** The dump of {@code node} and everything under it. */
  public static String dump(Node node) {
    StringBuilder out = new StringBuilder();
    // Dump is recursive in BuildKit; an explicit stack keeps deep trees off the Java stack.
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(node, out.length()));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.stage == Stage.START) {
        out.append(GoText.toLower(f.node.value()));
        if (!f.node.flags().isEmpty()) {
          out.append(' ');
          GoQuote.appendQuotedList(out, f.node.flags());
        }
        f.stage = Stage.CHILDREN;
      }
      if (f.stage == Stage.CHILDREN) {
        if (f.index > 0) {
          out.append(")\n");
        }
        if (f.index < f.node.children().size()) {
          out.append('(');
          Node child = f.node.children().get(f.index++);
          stack.push(new Frame(child, out.length()));
          continue;
        }
        f.stage = Stage.NEXT;
        f.index = 0;
      }
      if (f.stage == Stage.NEXT) {
        boolean descended = false;
        while (f.index < f.node.next().size()) {
          Node n = f.node.next().get(f.index++);
          out.append(' ');
          if (!n.children().isEmpty()) {
            stack.push(new Frame(n, out.length()));
            descended = true;
            break;
          }
          GoQuote.appendQuoted(out, n.value());
        }
        if (descended) {
          continue;
        }
        trimSpace(out, f.start);
        stack.pop();
      }
    }
    return out.toString();
  }

  private enum Stage { START, CHILDREN, NEXT }

  private static final class Frame {
    final Node node;
    final int start;
    Stage stage = Stage.START;
    int index;

    Frame(Node node, int start) {
      this.node = node;
      this.start = start;
    }
  }

  /** Go's {@code strings.TrimSpace} applied to the part of {@code out} from {@code start}. */
  private static void trimSpace(StringBuilder out, int start) {
    int end = out.length();
    while (end > start) {
      int i = end - 1;
      if (i > start && Character.isLowSurrogate(out.charAt(i))
          && Character.isHighSurrogate(out.charAt(i - 1))) {
        i--;
      }
      if (!GoText.isSpace(Character.codePointAt(out, i))) {
        break;
      }
      end = i;
    }
    out.setLength(end);
    int first = start;
    while (first < end) {
      int cp = Character.codePointAt(out, first);
      if (!GoText.isSpace(cp)) {
        break;
      }
      first += Character.charCount(cp);
    }
    if (first > start) {
      out.delete(start, first);
    }
  }
}
