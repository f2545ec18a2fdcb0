package io.zlayer.domain.dockerfile.ignore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * A Go {@code regexp} (RE2 syntax, {@code regexp.Compile}'s Perl flags) evaluated with a
 * Thompson NFA, so matching is linear in the input like Go's and free of Java's backtracking.
 *
 * <p>patternmatcher turns each ignore pattern into Go regexp text and lets Go parse it; user
 * text inside {@code [...]} and after {@code \} reaches that parser unchanged, so the exact Go
 * meaning matters ({@code [[:alpha:]]}, {@code \d}, {@code \x41}, a {@code [} inside a class).
 * This parser covers what such text can contain: literals, {@code .}, {@code ^}, {@code $},
 * classes (ranges, negation, POSIX, Perl and Unicode classes), escapes, groups, alternation and
 * the {@code * + ?} repetitions. Counted repetitions and flag groups are rejected; patternmatcher
 * escapes {@code ( ) { } |} in user text, so they only come from its own translation.
 */
final class GoRegexp {

  /** A Go regexp syntax error, with Go's wording. */
  static final class SyntaxException extends Exception {
    SyntaxException(String message) {
      super(message);
    }
  }

  private static final int CHAR = 0;
  private static final int SPLIT = 1;
  private static final int ASSERT = 2;
  private static final int MATCH = 3;

  private static final int BEGIN_TEXT = 0;
  private static final int END_TEXT = 1;
  private static final int WORD_BOUNDARY = 2;
  private static final int NOT_WORD_BOUNDARY = 3;

  // The NFA: parallel arrays indexed by state.
  private final int[] kind;
  private final int[] out;
  private final int[] out1;
  private final IntPredicate[] predicate;
  private final int start;

  private GoRegexp(Program program, int start) {
    int n = program.kind.size();
    this.kind = new int[n];
    this.out = new int[n];
    this.out1 = new int[n];
    this.predicate = new IntPredicate[n];
    for (int i = 0; i < n; i++) {
      kind[i] = program.kind.get(i);
      out[i] = program.out.get(i);
      out1[i] = program.out1.get(i);
      predicate[i] = program.predicate.get(i);
    }
    this.start = start;
  }

  static GoRegexp compile(String expression) throws SyntaxException {
    Parser parser = new Parser(expression);
    Node root = parser.parseAll();
    Program program = new Program();
    int match = program.add(MATCH, -1, -1, null);
    int start = program.compile(root, match);
    return new GoRegexp(program, start);
  }

  /** Go's {@code MatchString}: whether the expression matches anywhere in {@code input}. */
  boolean matches(String input) {
    int[] text = input.codePoints().toArray();
    int n = kind.length;
    int[] current = new int[n];
    int[] next = new int[n];
    int[] mark = new int[n];
    int generation = 1;
    int[] stack = new int[n * 2 + 2];
    int currentSize = addState(current, 0, start, 0, text, mark, generation, stack);
    for (int pos = 0; ; pos++) {
      for (int i = 0; i < currentSize; i++) {
        if (kind[current[i]] == MATCH) {
          return true;
        }
      }
      if (pos == text.length) {
        return false;
      }
      generation++;
      int c = text[pos];
      int nextSize = 0;
      for (int i = 0; i < currentSize; i++) {
        int s = current[i];
        if (kind[s] == CHAR && predicate[s].test(c)) {
          nextSize = addState(next, nextSize, out[s], pos + 1, text, mark, generation, stack);
        }
      }
      // unanchored search: a match may also start at the next position
      nextSize = addState(next, nextSize, start, pos + 1, text, mark, generation, stack);
      int[] swap = current;
      current = next;
      next = swap;
      currentSize = nextSize;
    }
  }

  /** Adds {@code state} and everything reachable through empty transitions at {@code pos}. */
  private int addState(int[] list, int size, int state, int pos, int[] text, int[] mark,
      int generation, int[] stack) {
    int top = 0;
    stack[top++] = state;
    while (top > 0) {
      int s = stack[--top];
      if (mark[s] == generation) {
        continue;
      }
      mark[s] = generation;
      switch (kind[s]) {
        case SPLIT:
          stack[top++] = out1[s];
          stack[top++] = out[s];
          break;
        case ASSERT:
          if (holds(out1[s], pos, text)) {
            stack[top++] = out[s];
          }
          break;
        default:
          list[size++] = s;
      }
    }
    return size;
  }

  private static boolean holds(int assertion, int pos, int[] text) {
    switch (assertion) {
      case BEGIN_TEXT:
        return pos == 0;
      case END_TEXT:
        return pos == text.length;
      default:
        boolean before = pos > 0 && isWordChar(text[pos - 1]);
        boolean after = pos < text.length && isWordChar(text[pos]);
        return (before != after) == (assertion == WORD_BOUNDARY);
    }
  }

  private static boolean isWordChar(int c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  }

  // ---------------------------------------------------------------------------------------------
  // Syntax tree

  private sealed interface Node
      permits Chars, Assertion, Concat, Alternate, Repeat, Empty, LiteralRun {}

  /** The literals of {@code \Q...\E}, spliced into the enclosing sequence by the parser. */
  private record LiteralRun(List<Node> items) implements Node {}

  private record Chars(IntPredicate predicate) implements Node {}

  private record Assertion(int which) implements Node {}

  private record Concat(List<Node> items) implements Node {}

  private record Alternate(List<Node> branches) implements Node {}

  /** {@code min} 0 or 1, {@code unbounded} for * and +; {@code ?} is min 0, bounded. */
  private record Repeat(Node sub, int min, boolean unbounded) implements Node {}

  private record Empty() implements Node {}

  // ---------------------------------------------------------------------------------------------
  // Compilation to the NFA

  private static final class Program {
    final List<Integer> kind = new ArrayList<>();
    final List<Integer> out = new ArrayList<>();
    final List<Integer> out1 = new ArrayList<>();
    final List<IntPredicate> predicate = new ArrayList<>();

    int add(int k, int o, int o1, IntPredicate p) {
      kind.add(k);
      out.add(o);
      out1.add(o1);
      predicate.add(p);
      return kind.size() - 1;
    }

    /** Compiles {@code node} so that it continues at {@code next}; returns its entry state. */
    int compile(Node node, int next) {
      if (node instanceof Chars chars) {
        return add(CHAR, next, -1, chars.predicate());
      }
      if (node instanceof Assertion assertion) {
        return add(ASSERT, next, assertion.which(), null);
      }
      if (node instanceof Concat concat) {
        int entry = next;
        for (int i = concat.items().size() - 1; i >= 0; i--) {
          entry = compile(concat.items().get(i), entry);
        }
        return entry;
      }
      if (node instanceof Alternate alternate) {
        int entry = compile(alternate.branches().get(alternate.branches().size() - 1), next);
        for (int i = alternate.branches().size() - 2; i >= 0; i--) {
          int branch = compile(alternate.branches().get(i), next);
          entry = add(SPLIT, branch, entry, null);
        }
        return entry;
      }
      if (node instanceof Repeat repeat) {
        if (!repeat.unbounded()) {
          int body = compile(repeat.sub(), next);
          return add(SPLIT, body, next, null);
        }
        int loop = add(SPLIT, -1, next, null);
        int body = compile(repeat.sub(), loop);
        out.set(loop, body);
        return repeat.min() == 0 ? loop : body;
      }
      return next;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parser (Go's regexp/syntax, Perl flags: ClassNL, OneLine, PerlX, UnicodeGroups)

  private static final IntPredicate ANY_BUT_NEWLINE = c -> c != '\n';

  private static final Set<String> UNICODE_CATEGORIES = Set.of(
      "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N",
      "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
      "Z", "Zl", "Zp", "Zs");

  private static final class Parser {
    private final String text;
    private final int[] cp;
    private int pos;
    private int depth;

    Parser(String text) {
      this.text = text;
      this.cp = text.codePoints().toArray();
    }

    Node parseAll() throws SyntaxException {
      Node node = parseAlternate();
      if (pos < cp.length) {
        // only a ')' stops parseAlternate early at top level
        throw new SyntaxException("unexpected ): `" + text + "`");
      }
      return node;
    }

    private boolean more() {
      return pos < cp.length;
    }

    private int peek() {
      return cp[pos];
    }

    private String rest() {
      return new String(cp, pos, cp.length - pos);
    }

    private Node parseAlternate() throws SyntaxException {
      List<Node> branches = new ArrayList<>();
      branches.add(parseConcat());
      while (more() && peek() == '|') {
        pos++;
        branches.add(parseConcat());
      }
      return branches.size() == 1 ? branches.get(0) : new Alternate(List.copyOf(branches));
    }

    private Node parseConcat() throws SyntaxException {
      List<Node> items = new ArrayList<>();
      while (more() && peek() != '|' && peek() != ')') {
        int c = peek();
        if (c == '*' || c == '+' || c == '?') {
          if (items.isEmpty()) {
            throw new SyntaxException("missing argument to repetition operator: `"
                + new String(Character.toChars(c)) + "`");
          }
          int opStart = pos;
          pos++;
          if (more() && peek() == '?') {
            pos++; // non-greedy: the same language
          }
          if (more() && (peek() == '*' || peek() == '+' || peek() == '?')) {
            throw new SyntaxException("invalid nested repetition operator: `"
                + new String(cp, opStart, pos + 1 - opStart) + "`");
          }
          Node last = items.remove(items.size() - 1);
          items.add(new Repeat(last, c == '+' ? 1 : 0, c != '?'));
          continue;
        }
        Node atom = parseAtom();
        if (atom instanceof LiteralRun run) {
          items.addAll(run.items()); // a following repetition applies to the last rune only
        } else {
          items.add(atom);
        }
      }
      if (items.isEmpty()) {
        return new Empty();
      }
      return items.size() == 1 ? items.get(0) : new Concat(List.copyOf(items));
    }

    private Node parseAtom() throws SyntaxException {
      int c = cp[pos++];
      switch (c) {
        case '(': {
          if (more() && peek() == '?') {
            throw new SyntaxException("unsupported group syntax: `" + text + "`");
          }
          if (++depth > 1000) {
            throw new SyntaxException("expression nests too deeply");
          }
          Node inner = parseAlternate();
          depth--;
          if (!more() || peek() != ')') {
            throw new SyntaxException("missing closing ): `" + text + "`");
          }
          pos++;
          return inner;
        }
        case '[':
          return parseClass();
        case '.':
          return new Chars(ANY_BUT_NEWLINE);
        case '^':
          return new Assertion(BEGIN_TEXT);
        case '$':
          return new Assertion(END_TEXT);
        case '\\':
          return parseEscapeAtom();
        default:
          return literal(c);
      }
    }

    private static Node literal(int c) {
      return new Chars(x -> x == c);
    }

    /** After a backslash outside a class. */
    private Node parseEscapeAtom() throws SyntaxException {
      if (more()) {
        switch (peek()) {
          case 'A':
            pos++;
            return new Assertion(BEGIN_TEXT);
          case 'z':
            pos++;
            return new Assertion(END_TEXT);
          case 'b':
            pos++;
            return new Assertion(WORD_BOUNDARY);
          case 'B':
            pos++;
            return new Assertion(NOT_WORD_BOUNDARY);
          case 'C':
            throw new SyntaxException("invalid escape sequence: `\\C`");
          case 'Q': {
            pos++;
            String rest = rest();
            int end = rest.indexOf("\\E");
            String literal = end >= 0 ? rest.substring(0, end) : rest;
            pos += literal.codePointCount(0, literal.length()) + (end >= 0 ? 2 : 0);
            List<Node> items = new ArrayList<>();
            literal.codePoints().forEach(x -> items.add(literal(x)));
            return new LiteralRun(List.copyOf(items));
          }
          default:
            break;
        }
      }
      pos--; // back on the backslash
      IntPredicate unicode = parseUnicodeClass();
      if (unicode != null) {
        return new Chars(unicode);
      }
      IntPredicate perl = parsePerlClass();
      if (perl != null) {
        return new Chars(perl);
      }
      return literal(parseEscape());
    }

    /** Go's parseClass; {@code pos} is just after the '['. */
    private Node parseClass() throws SyntaxException {
      int classStart = pos - 1;
      boolean negated = false;
      if (more() && peek() == '^') {
        negated = true;
        pos++;
      }
      List<IntPredicate> items = new ArrayList<>();
      boolean first = true;
      while (!more() || peek() != ']' || first) {
        first = false;
        if (pos + 2 < cp.length && peek() == '[' && cp[pos + 1] == ':') {
          IntPredicate posix = parseNamedClass();
          if (posix != null) {
            items.add(posix);
            continue;
          }
        }
        IntPredicate unicode = parseUnicodeClass();
        if (unicode != null) {
          items.add(unicode);
          continue;
        }
        IntPredicate perl = parsePerlClass();
        if (perl != null) {
          items.add(perl);
          continue;
        }
        int rangeStart = pos;
        int lo = parseClassChar(classStart);
        int hi = lo;
        if (pos + 1 < cp.length && peek() == '-' && cp[pos + 1] != ']') {
          pos++;
          hi = parseClassChar(classStart);
          if (hi < lo) {
            throw new SyntaxException("invalid character class range: `"
                + new String(cp, rangeStart, pos - rangeStart) + "`");
          }
        }
        int from = lo;
        int to = hi;
        items.add(x -> x >= from && x <= to);
      }
      pos++; // the ']'
      IntPredicate[] all = items.toArray(new IntPredicate[0]);
      boolean negate = negated;
      return new Chars(x -> {
        boolean in = false;
        for (IntPredicate item : all) {
          if (item.test(x)) {
            in = true;
            break;
          }
        }
        return in != negate;
      });
    }

    private int parseClassChar(int classStart) throws SyntaxException {
      if (!more()) {
        throw new SyntaxException("missing closing ]: `"
            + new String(cp, classStart, cp.length - classStart) + "`");
      }
      if (peek() == '\\') {
        return parseEscape();
      }
      return cp[pos++];
    }

    /** {@code [:alpha:]} and friends; null (nothing consumed) when this is not one. */
    private IntPredicate parseNamedClass() throws SyntaxException {
      String rest = rest();
      int end = rest.indexOf(":]", 2);
      if (end < 0) {
        return null;
      }
      String name = rest.substring(0, end + 2);
      IntPredicate group = posixGroup(name.substring(2, name.length() - 2));
      if (group == null) {
        throw new SyntaxException("invalid character class range: `" + name + "`");
      }
      pos += name.codePointCount(0, name.length());
      return group;
    }

    private static IntPredicate posixGroup(String name) {
      boolean negated = name.startsWith("^");
      String base = negated ? name.substring(1) : name;
      IntPredicate p;
      switch (base) {
        case "alnum":
          p = c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
          break;
        case "alpha":
          p = c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
          break;
        case "ascii":
          p = c -> c <= 0x7f;
          break;
        case "blank":
          p = c -> c == '\t' || c == ' ';
          break;
        case "cntrl":
          p = c -> c <= 0x1f || c == 0x7f;
          break;
        case "digit":
          p = c -> c >= '0' && c <= '9';
          break;
        case "graph":
          p = c -> c >= '!' && c <= '~';
          break;
        case "lower":
          p = c -> c >= 'a' && c <= 'z';
          break;
        case "print":
          p = c -> c >= ' ' && c <= '~';
          break;
        case "punct":
          p = c -> (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`')
              || (c >= '{' && c <= '~');
          break;
        case "space":
          p = c -> c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r' || c == ' ';
          break;
        case "upper":
          p = c -> c >= 'A' && c <= 'Z';
          break;
        case "word":
          p = GoRegexp::isWordChar;
          break;
        case "xdigit":
          p = c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
          break;
        default:
          return null;
      }
      return negated ? p.negate() : p;
    }

    /** {@code \d \D \s \S \w \W}; null (nothing consumed) otherwise. */
    private IntPredicate parsePerlClass() {
      if (pos + 1 >= cp.length || peek() != '\\') {
        return null;
      }
      IntPredicate p;
      switch (cp[pos + 1]) {
        case 'd':
        case 'D':
          p = c -> c >= '0' && c <= '9';
          break;
        case 's':
        case 'S':
          p = c -> c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
          break;
        case 'w':
        case 'W':
          p = GoRegexp::isWordChar;
          break;
        default:
          return null;
      }
      boolean negated = Character.isUpperCase(cp[pos + 1]);
      pos += 2;
      return negated ? p.negate() : p;
    }

    /** {@code \pL}, {@code \p{Greek}}, {@code \PL}, {@code \p{^L}}; null when not one. */
    private IntPredicate parseUnicodeClass() throws SyntaxException {
      if (pos + 1 >= cp.length || peek() != '\\' || (cp[pos + 1] != 'p' && cp[pos + 1] != 'P')) {
        return null;
      }
      boolean negated = cp[pos + 1] == 'P';
      int start = pos;
      pos += 2;
      String name;
      if (!more()) {
        throw new SyntaxException("invalid character class range: `\\" + (char) cp[start + 1]
            + "`");
      }
      if (peek() != '{') {
        name = new String(cp, pos, 1);
        pos++;
      } else {
        int close = -1;
        for (int i = pos; i < cp.length; i++) {
          if (cp[i] == '}') {
            close = i;
            break;
          }
        }
        if (close < 0) {
          throw new SyntaxException("invalid character class range: `"
              + new String(cp, start, cp.length - start) + "`");
        }
        name = new String(cp, pos + 1, close - pos - 1);
        pos = close + 1;
      }
      String sequence = new String(cp, start, pos - start);
      if (name.startsWith("^")) {
        negated = !negated;
        name = name.substring(1);
      }
      IntPredicate p = unicodeTable(name);
      if (p == null) {
        throw new SyntaxException("invalid character class range: `" + sequence + "`");
      }
      return negated ? p.negate() : p;
    }

    private static IntPredicate unicodeTable(String name) {
      if (name.equals("Any")) {
        return c -> true;
      }
      if (UNICODE_CATEGORIES.contains(name)) {
        Pattern category = Pattern.compile("\\p{" + name + "}");
        return c -> category.matcher(new String(Character.toChars(c))).matches();
      }
      if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
        return null;
      }
      try {
        Character.UnicodeScript script = Character.UnicodeScript.forName(name);
        return c -> Character.UnicodeScript.of(c) == script;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    /** Go's parseEscape: {@code pos} is on the backslash; returns the escaped code point. */
    private int parseEscape() throws SyntaxException {
      int start = pos;
      pos++;
      if (!more()) {
        throw new SyntaxException("trailing backslash at end of expression");
      }
      int c = cp[pos++];
      if (c < 0x80 && !Character.isLetterOrDigit(c)) {
        return c;
      }
      boolean octal = c == '0'
          || (c >= '1' && c <= '7' && more() && peek() >= '0' && peek() <= '7');
      if (octal) {
        // a single non-zero digit would be a backreference, which Go does not support
        int r = c - '0';
        for (int i = 1; i < 3 && more() && peek() >= '0' && peek() <= '7'; i++) {
          r = r * 8 + (cp[pos++] - '0');
        }
        return r;
      }
      switch (c) {
        case 'x': {
          if (!more()) {
            break;
          }
          int d = cp[pos++];
          if (d == '{') {
            int value = 0;
            int digits = 0;
            while (true) {
              if (!more()) {
                throw invalidEscape(start);
              }
              int h = cp[pos++];
              if (h == '}') {
                break;
              }
              int v = Character.digit(h, 16);
              if (v < 0 || h > 0x7f) {
                throw invalidEscape(start);
              }
              value = value * 16 + v;
              if (value > Character.MAX_CODE_POINT) {
                throw invalidEscape(start);
              }
              digits++;
            }
            if (digits == 0) {
              throw invalidEscape(start);
            }
            return value;
          }
          int x = d <= 0x7f ? Character.digit(d, 16) : -1;
          int y = -1;
          if (more()) {
            int e = cp[pos++];
            y = e <= 0x7f ? Character.digit(e, 16) : -1;
          }
          if (x < 0 || y < 0) {
            break;
          }
          return x * 16 + y;
        }
        case 'a':
          return 7;
        case 'f':
          return '\f';
        case 'n':
          return '\n';
        case 'r':
          return '\r';
        case 't':
          return '\t';
        case 'v':
          return 0x0b;
        default:
          break;
      }
      throw invalidEscape(start);
    }

    private SyntaxException invalidEscape(int start) {
      return new SyntaxException("invalid escape sequence: `"
          + new String(cp, start, pos - start) + "`");
    }
  }
}
