package io.zlayer.domain.dockerfile.shell;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Dockerfile word expansion exactly as BuildKit's {@code shell.Lex}: quotes, the escape token,
 * {@code $V}, {@code ${V}} and the {@code ${V<op>word}} forms {@code :- - :+ + :? ? # ## % %%},
 * {@code ${V/pattern/replacement}} and {@code ${V//pattern/replacement}}.
 *
 * <p>Immutable and safe to share between threads. Errors are {@link DockerfileException}s without
 * a line, worded as BuildKit's: {@code failed to process "<word>": <reason>}.
 */
public final class ShellLexer {
  private static final int EOF = -1;

  private final char escapeToken;
  private final boolean rawQuotes;
  private final boolean rawEscapes;
  private final boolean skipUnsetEnv;
  private final boolean skipProcessQuotes;

  /** A lexer with the given escape token ({@code \} or {@code `}) and BuildKit's defaults. */
  public ShellLexer(char escapeToken) {
    this(escapeToken, false, false, false, false);
  }

  private ShellLexer(char escapeToken, boolean rawQuotes, boolean rawEscapes,
      boolean skipUnsetEnv, boolean skipProcessQuotes) {
    if (escapeToken != '\\' && escapeToken != '`') {
      throw new IllegalArgumentException("escape token must be \\ or `, not " + escapeToken);
    }
    this.escapeToken = escapeToken;
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
    this.skipUnsetEnv = skipUnsetEnv;
    this.skipProcessQuotes = skipProcessQuotes;
  }

  /** BuildKit's {@code RawQuotes}: quote characters are kept in the result. */
  public ShellLexer withRawQuotes(boolean value) {
    return new ShellLexer(escapeToken, value, rawEscapes, skipUnsetEnv, skipProcessQuotes);
  }

  /** BuildKit's {@code RawEscapes}: escape tokens are kept in the result. */
  public ShellLexer withRawEscapes(boolean value) {
    return new ShellLexer(escapeToken, rawQuotes, value, skipUnsetEnv, skipProcessQuotes);
  }

  /** BuildKit's {@code SkipUnsetEnv}: references to unset variables are left as written. */
  public ShellLexer withSkipUnsetEnv(boolean value) {
    return new ShellLexer(escapeToken, rawQuotes, rawEscapes, value, skipProcessQuotes);
  }

  /** BuildKit's {@code SkipProcessQuotes}: quote characters are ordinary characters. */
  public ShellLexer withSkipProcessQuotes(boolean value) {
    return new ShellLexer(escapeToken, rawQuotes, rawEscapes, skipUnsetEnv, value);
  }

  public char escapeToken() {
    return escapeToken;
  }

  public boolean rawQuotes() {
    return rawQuotes;
  }

  public boolean rawEscapes() {
    return rawEscapes;
  }

  public boolean skipUnsetEnv() {
    return skipUnsetEnv;
  }

  public boolean skipProcessQuotes() {
    return skipProcessQuotes;
  }

  /** The expanded word (BuildKit's {@code ProcessWord}). */
  public String processWord(String word, VariableLookup env) throws DockerfileException {
    return processWordWithMatches(word, env).result();
  }

  /**
   * The expansion split into words (BuildKit's {@code ProcessWords}): unquoted whitespace,
   * including whitespace produced by unquoted expansions, separates words; quoted and escaped
   * whitespace does not. Empty pieces make no word, so {@code ""} alone yields no word.
   */
  public List<String> processWords(String word, VariableLookup env) throws DockerfileException {
    return processWordWithMatches(word, env).words();
  }

  /**
   * The full expansion with the names it referenced, split into set and unset ones (BuildKit's
   * {@code ProcessWordWithMatches}).
   */
  public Expansion processWordWithMatches(String word, VariableLookup env)
      throws DockerfileException {
    Objects.requireNonNull(word, "word");
    Objects.requireNonNull(env, "env");
    return new Run(word, env).expand();
  }

  @Override
  public String toString() {
    return "ShellLexer[escape=" + escapeToken + ", rawQuotes=" + rawQuotes + ", rawEscapes="
        + rawEscapes + ", skipUnsetEnv=" + skipUnsetEnv + ", skipProcessQuotes="
        + skipProcessQuotes + "]";
  }

  /** A reason for failing, before BuildKit's "failed to process" prefix is added. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** Words being collected, as BuildKit's {@code wordsStruct}. */
  private static final class Words {
    private final List<String> words = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;

    void addChar(int ch) {
      if (GoText.isSpace(ch)) {
        if (inWord && word.length() != 0) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        addRawChar(ch);
      }
    }

    void addRawChar(int ch) {
      word.appendCodePoint(ch);
      inWord = true;
    }

    void addString(String s) {
      s.codePoints().forEach(this::addChar);
    }

    void addRawString(String s) {
      word.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (word.length() > 0) {
        words.add(word.toString());
        word.setLength(0);
        inWord = false;
      }
      return words;
    }
  }

  /**
   * One expansion. BuildKit's recursive descent (word, double quote, {@code ${...}} operand) is
   * run here on an explicit stack of frames so that nesting depth is bounded by memory only, as
   * with Go's growable stacks.
   */
  private final class Run {
    private final String source;
    private final int[] text;
    private int pos;
    private final VariableLookup env;
    private final Set<String> matched = new LinkedHashSet<>();
    private final Set<String> unmatched = new LinkedHashSet<>();
    private boolean escapesKept = rawEscapes;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private String finalResult;
    private List<String> finalWords;

    Run(String source, VariableLookup env) {
      this.source = source;
      this.text = source.codePoints().toArray();
      this.env = env;
      // Go's text/scanner skips a byte order mark at the very start.
      if (text.length > 0 && text[0] == 0xFEFF) {
        pos = 1;
      }
    }

    Expansion expand() throws DockerfileException {
      try {
        stack.push(new Segment(EOF, rawEscapes, true));
        while (!stack.isEmpty()) {
          stack.peek().step();
        }
      } catch (Failure failure) {
        String reason = failure.getMessage();
        for (Frame frame : stack) {
          reason = frame.childFailed(reason);
        }
        throw new DockerfileException(
            "failed to process " + GoText.quote(source) + ": " + reason);
      }
      return new Expansion(finalResult, finalWords, matched, unmatched);
    }

    private int peek() {
      return pos < text.length ? text[pos] : EOF;
    }

    private int next() {
      return pos < text.length ? text[pos++] : EOF;
    }

    private Optional<String> getEnv(String name) {
      Optional<String> value = Objects.requireNonNull(env.lookup(name), "lookup result");
      if (value.isPresent()) {
        matched.add(name);
      } else {
        unmatched.add(name);
      }
      return value;
    }

    /** Hands a finished frame's value to the frame below it. */
    private void deliver(String value) throws Failure {
      stack.peek().accept(value);
    }

    private abstract class Frame {
      /** Makes progress; returns after finishing or after pushing a child frame. */
      abstract void step() throws Failure;

      /** Receives the value of the child frame that just finished. */
      abstract void accept(String value) throws Failure;

      /** Rewords a failure raised while a child of this frame was running. */
      String childFailed(String reason) {
        return reason;
      }
    }

    /** BuildKit's {@code processStopOn}: text up to {@code stop} (or the end, for EOF). */
    private final class Segment extends Frame {
      private final int stop;
      private final boolean savedEscapesKept;
      private final StringBuilder result = new StringBuilder();
      private final Words words;
      private boolean childIsDollar;

      Segment(int stop, boolean keepEscapes, boolean collectWords) {
        this.stop = stop;
        this.savedEscapesKept = escapesKept;
        escapesKept = keepEscapes;
        this.words = collectWords ? new Words() : null;
      }

      @Override
      void step() throws Failure {
        while (peek() != EOF) {
          int ch = peek();
          if (stop != EOF && ch == stop) {
            next();
            finish();
            return;
          }
          if (ch == '$') {
            childIsDollar = true;
            String value = startDollar();
            if (value == null) {
              return;
            }
            accept(value);
            continue;
          }
          if (!skipProcessQuotes && ch == '\'') {
            childIsDollar = false;
            accept(singleQuote());
            continue;
          }
          if (!skipProcessQuotes && ch == '"') {
            childIsDollar = false;
            stack.push(new DoubleQuote());
            return;
          }
          ch = next();
          if (ch == escapeToken) {
            if (escapesKept) {
              addRawChar(ch);
              result.appendCodePoint(ch);
            }
            // The escape token escapes the next character, except at the end of the word.
            ch = next();
            if (ch == EOF) {
              break;
            }
            addRawChar(ch);
          } else if (words != null) {
            words.addChar(ch);
          }
          result.appendCodePoint(ch);
        }
        if (stop != EOF) {
          throw new Failure("unexpected end of statement while looking for matching "
              + GoText.runeString(stop));
        }
        finish();
      }

      private void addRawChar(int ch) {
        if (words != null) {
          words.addRawChar(ch);
        }
      }

      @Override
      void accept(String value) {
        result.append(value);
        if (words != null) {
          if (childIsDollar) {
            words.addString(value);
          } else {
            words.addRawString(value);
          }
        }
      }

      private void finish() throws Failure {
        escapesKept = savedEscapesKept;
        stack.pop();
        if (stack.isEmpty()) {
          finalResult = result.toString();
          finalWords = words.finish();
        } else {
          deliver(result.toString());
        }
      }
    }

    /** BuildKit's {@code processDoubleQuote}. */
    private final class DoubleQuote extends Frame {
      private final StringBuilder result = new StringBuilder();

      DoubleQuote() {
        int quote = next();
        if (rawQuotes) {
          result.appendCodePoint(quote);
        }
      }

      @Override
      void step() throws Failure {
        while (true) {
          switch (peek()) {
            case EOF -> throw new Failure(
                "unexpected end of statement while looking for matching double-quote");
            case '"' -> {
              int quote = next();
              if (rawQuotes) {
                result.appendCodePoint(quote);
              }
              stack.pop();
              deliver(result.toString());
              return;
            }
            case '$' -> {
              String value = startDollar();
              if (value == null) {
                return;
              }
              result.append(value);
            }
            default -> {
              int ch = next();
              if (ch == escapeToken) {
                if (escapesKept) {
                  result.appendCodePoint(ch);
                }
                int following = peek();
                if (following == EOF) {
                  // An escape token at the end is dropped; the missing quote is reported next.
                  continue;
                }
                // Only ", $ and the escape token itself can be escaped; otherwise it is literal.
                if (following == '"' || following == '$' || following == escapeToken) {
                  ch = next();
                }
              }
              result.appendCodePoint(ch);
            }
          }
        }
      }

      @Override
      void accept(String value) {
        result.append(value);
      }
    }

    /** BuildKit's {@code processSingleQuote}: everything up to the next ' is literal. */
    private String singleQuote() throws Failure {
      StringBuilder result = new StringBuilder();
      int ch = next();
      if (rawQuotes) {
        result.appendCodePoint(ch);
      }
      while (true) {
        ch = next();
        if (ch == EOF) {
          throw new Failure("unexpected end of statement while looking for matching single-quote");
        }
        if (ch == '\'') {
          if (rawQuotes) {
            result.appendCodePoint(ch);
          }
          return result.toString();
        }
        result.appendCodePoint(ch);
      }
    }

    /**
     * BuildKit's {@code processDollar}, positioned at a {@code $}. Returns the value right away
     * for {@code $name} and {@code ${name}}; for forms with an operand it pushes frames and
     * returns null, and the value is delivered to the current frame later.
     */
    private String startDollar() throws Failure {
      next();
      if (peek() != '{') {
        String name = processName();
        if (name.isEmpty()) {
          return "$";
        }
        Optional<String> value = getEnv(name);
        if (value.isEmpty() && skipUnsetEnv) {
          return "$" + name;
        }
        return value.orElse("");
      }
      next();
      switch (peek()) {
        case EOF -> throw new Failure("syntax error: missing '}'");
        case '{', '}', ':' -> throw new Failure("syntax error: bad substitution");
        default -> {
        }
      }
      String name = processName();
      int ch = next();
      String chs = GoText.runeString(ch);
      boolean nullIsUnset = false;
      switch (ch) {
        case '}' -> {
          Optional<String> value = getEnv(name);
          if (value.isEmpty() && skipUnsetEnv) {
            return "${" + name + "}";
          }
          return value.orElse("");
        }
        case ':' -> {
          // Whatever follows the colon is taken as the operator, checked after the operand.
          nullIsUnset = true;
          ch = next();
          chs += GoText.runeString(ch);
        }
        case '+', '-', '?', '#', '%' -> {
        }
        case '/' -> {
          boolean replaceAll = peek() == '/';
          if (replaceAll) {
            next();
          }
          stack.push(new Replacement(name, replaceAll));
          stack.push(new Segment('/', true, false));
          return null;
        }
        default -> throw new Failure("unsupported modifier (" + chs + ") in substitution");
      }
      // Patterns keep their escapes so that \* and \? reach the pattern compiler.
      boolean patternOperand = ch == '#' || ch == '%';
      stack.push(new Modifier(name, ch, chs, nullIsUnset));
      stack.push(new Segment('}', patternOperand, false));
      return null;
    }

    /**
     * BuildKit's {@code processName}: a run of letters, digits and underscores; or a run of
     * digits (a positional parameter); or one special parameter character.
     */
    private String processName() {
      StringBuilder name = new StringBuilder();
      while (peek() != EOF) {
        int ch = peek();
        if (name.length() == 0 && GoText.isDigit(ch)) {
          while (peek() != EOF && GoText.isDigit(peek())) {
            name.appendCodePoint(next());
          }
          return name.toString();
        }
        if (name.length() == 0 && isSpecialParam(ch)) {
          next();
          return GoText.runeString(ch);
        }
        if (!GoText.isLetter(ch) && !GoText.isDigit(ch) && ch != '_') {
          break;
        }
        name.appendCodePoint(next());
      }
      return name.toString();
    }

    /** {@code ${name<op>word}} waiting for its operand. */
    private final class Modifier extends Frame {
      private final String name;
      private final int op;
      private final String chs;
      private final boolean nullIsUnset;

      Modifier(String name, int op, String chs, boolean nullIsUnset) {
        this.name = name;
        this.op = op;
        this.chs = chs;
        this.nullIsUnset = nullIsUnset;
      }

      @Override
      void step() {
        throw new IllegalStateException("a modifier frame only waits for its operand");
      }

      @Override
      void accept(String word) throws Failure {
        stack.pop();
        deliver(apply(word));
      }

      private String apply(String word) throws Failure {
        Optional<String> found = getEnv(name);
        if (skipUnsetEnv && found.isEmpty()) {
          return "${" + name + chs + word + "}";
        }
        boolean set = found.isPresent();
        String value = found.orElse("");
        boolean unsetOrNull = !set || (nullIsUnset && value.isEmpty());
        switch (op) {
          case '-':
            return unsetOrNull ? word : value;
          case '+':
            return unsetOrNull ? "" : word;
          case '?':
            if (!set) {
              throw new Failure(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
            }
            if (nullIsUnset && value.isEmpty()) {
              throw new Failure(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
            }
            return value;
          case '%':
          case '#':
            // A doubled operator (## or %%) asks for the longest match. BuildKit checks this on
            // the expanded operand, so a leading # or % coming from a variable counts too.
            boolean greedy = !word.isEmpty() && word.charAt(0) == op;
            String pattern = greedy ? word.substring(1) : word;
            return op == '%' ? trimSuffix(pattern, value, greedy)
                : trimPrefix(pattern, value, greedy);
          default:
            throw new Failure("unsupported modifier (" + chs + ") in substitution");
        }
      }

      @Override
      String childFailed(String reason) {
        return peek() == EOF ? "syntax error: missing '}'" : reason;
      }
    }

    /** {@code ${name/pattern/replacement}} or {@code ${name//pattern/replacement}}. */
    private final class Replacement extends Frame {
      private final String name;
      private final boolean replaceAll;
      private String pattern;

      Replacement(String name, boolean replaceAll) {
        this.name = name;
        this.replaceAll = replaceAll;
      }

      @Override
      void step() {
        throw new IllegalStateException("a replacement frame only waits for its operands");
      }

      @Override
      void accept(String value) throws Failure {
        if (pattern == null) {
          pattern = value;
          stack.push(new Segment('}', true, false));
          return;
        }
        stack.pop();
        deliver(apply(value));
      }

      private String apply(String replacement) throws Failure {
        Optional<String> found = getEnv(name);
        if (skipUnsetEnv && found.isEmpty()) {
          return "${" + name + "/" + pattern + "/" + replacement + "}";
        }
        String value = found.orElse("");
        ShellPattern compiled = compilePattern(pattern, true, false);
        return replaceAll ? compiled.replaceAll(value, replacement)
            : compiled.replaceFirst(value, replacement);
      }

      @Override
      String childFailed(String reason) {
        if (peek() != EOF) {
          return reason;
        }
        return pattern == null ? "syntax error: missing '/' in ${}" : "syntax error: missing '}'";
      }
    }
  }

  private static boolean isSpecialParam(int ch) {
    return switch (ch) {
      case '@', '*', '#', '?', '-', '$', '!', '0' -> true;
      default -> false;
    };
  }

  private static ShellPattern compilePattern(String pattern, boolean greedy, boolean anchored)
      throws Failure {
    try {
      return ShellPattern.compile(pattern, greedy, anchored);
    } catch (ShellPattern.InvalidPatternException e) {
      throw new Failure("invalid pattern (" + pattern + ") in substitution: " + e.getMessage());
    }
  }

  private static String trimPrefix(String pattern, String value, boolean greedy) throws Failure {
    ShellPattern compiled = compilePattern(pattern, greedy, true);
    int[] text = value.codePoints().toArray();
    int end = compiled.matchPrefix(text);
    return end < 0 ? value : new String(text, end, text.length - end);
  }

  /**
   * Like BuildKit, finds the shortest or longest matching suffix as a prefix of the reversed
   * value, with the pattern reversed too (so an error names the reversed pattern, as there).
   */
  private static String trimSuffix(String pattern, String value, boolean greedy) throws Failure {
    String trimmed = trimPrefix(reversePattern(pattern), reverse(value), greedy);
    return reverse(trimmed);
  }

  /** Reverses a pattern by characters, keeping each escape before the character it escapes. */
  static String reversePattern(String pattern) {
    int[] in = pattern.codePoints().toArray();
    int[] out = new int[in.length];
    int last = in.length - 1;
    for (int i = 0; i <= last; ) {
      int tok = in[i];
      int outIdx = last - i;
      if (tok == '\\' && i != last) {
        out[outIdx - 1] = tok;
        out[outIdx] = in[i + 1];
        i += 2;
      } else {
        out[outIdx] = tok;
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  /** Reverses a string by code points. */
  static String reverse(String s) {
    int[] cps = s.codePoints().toArray();
    for (int i = 0, j = cps.length - 1; i < j; i++, j--) {
      int t = cps[i];
      cps[i] = cps[j];
      cps[j] = t;
    }
    return new String(cps, 0, cps.length);
  }
}
