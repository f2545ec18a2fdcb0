package io.zlayer.domain.dockerfile.parser;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * BuildKit's {@code shell.Lex.ProcessWords} in the modes its parser uses to find heredocs:
 * escape token {@code \}, an empty environment with {@code SkipUnsetEnv} (so {@code $x},
 * {@code ${x}} and {@code ${x:-w}} are kept as written), optionally {@code RawQuotes} and
 * {@code RawEscapes}.
 *
 * <p>Like BuildKit's lexer, an unquoted {@code <<} takes the blanks after it into its word.
 * BuildKit's lexer is recursive ({@code ${a:-${b:-…}}}); this one keeps its own stack so that
 * no input can exhaust the Java stack. It also keeps BuildKit's quirks that change the words:
 * all nesting levels share one word buffer, which each nested {@code ${…}} clears, and a BOM as
 * the very first character is skipped (Go's {@code text/scanner}).
 */
final class HeredocLexer {
  private static final int EOF = -1;

  /** A lexing error, with BuildKit's message. */
  static final class LexException extends Exception {
    private static final long serialVersionUID = 1L;

    LexException(String message) {
      super(message);
    }
  }

  private final boolean rawQuotes;
  private final boolean rawEscapesSetting;

  private int[] runes;
  private int pos;
  private boolean rawEscapes;
  private final StringBuilder wordBuffer = new StringBuilder();

  HeredocLexer(boolean rawQuotes, boolean rawEscapes) {
    this.rawQuotes = rawQuotes;
    this.rawEscapesSetting = rawEscapes;
  }

  /** The words of {@code input}, split on whitespace after quote and escape processing. */
  List<String> processWords(String input) throws LexException {
    runes = toRunes(input);
    pos = runes.length > 0 && runes[0] == 0xFEFF ? 1 : 0;
    rawEscapes = rawEscapesSetting;
    try {
      return run();
    } catch (LexException e) {
      throw new LexException("failed to process " + GoQuote.quote(input) + ": " + e.getMessage());
    }
  }

  private static int[] toRunes(String s) {
    int[] out = new int[s.length()];
    int n = 0;
    int i = 0;
    while (i < s.length()) {
      out[n++] = GoText.runeAt(s, i);
      i += GoText.runeWidth(s, i);
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private int peek() {
    return pos < runes.length ? runes[pos] : EOF;
  }

  private int next() {
    return pos < runes.length ? runes[pos++] : EOF;
  }

  /** Go's {@code string(rune)} of a scanned rune: EOF becomes U+FFFD. */
  private static String runeString(int r) {
    return r < 0 ? "\uFFFD" : new String(Character.toChars(r));
  }

  // ---- frames of the explicit stack -------------------------------------------------------

  private abstract static class Frame {}

  /** {@code processStopOn(stopChar, rawEscapes)}. */
  private static final class StopOn extends Frame {
    final int stopChar;
    final boolean previousRawEscapes;
    final StringBuilder result = new StringBuilder();
    final List<String> words = new ArrayList<>();
    boolean inWord;
    int pendingChar;

    StopOn(int stopChar, boolean previousRawEscapes) {
      this.stopChar = stopChar;
      this.previousRawEscapes = previousRawEscapes;
    }
  }

  /** {@code processDoubleQuote()} waiting for a nested {@code $…}. */
  private static final class DoubleQuote extends Frame {
    final StringBuilder result = new StringBuilder();
  }

  /** {@code processDollar()} waiting for a nested {@code processStopOn}. */
  private static final class Dollar extends Frame {
    enum Stage { START, WORD, PATTERN, REPLACEMENT }

    Stage stage = Stage.START;
    String name;
    String chs;
    String pattern;
  }

  private final Deque<Frame> stack = new ArrayDeque<>();

  private List<String> run() throws LexException {
    stack.clear();
    pushStopOn(EOF, rawEscapesSetting);
    String returned = null;
    boolean hasReturn = false;
    List<String> topWords = null;
    try {
      while (!stack.isEmpty()) {
        Frame frame = stack.peek();
        String value = hasReturn ? returned : null;
        boolean resumed = hasReturn;
        hasReturn = false;
        returned = null;
        if (frame instanceof StopOn s) {
          if (resumed) {
            s.result.append(value);
            if (s.pendingChar == '$') {
              addString(s, value);
            } else {
              addRawString(s, value);
            }
          }
          StopOnStep step = stepStopOn(s);
          if (step == StopOnStep.DONE) {
            stack.pop();
            rawEscapes = s.previousRawEscapes;
            List<String> words = getWords(s);
            if (stack.isEmpty()) {
              topWords = words;
            } else {
              returned = s.result.toString();
              hasReturn = true;
            }
          }
        } else if (frame instanceof DoubleQuote q) {
          if (resumed) {
            q.result.append(value);
          }
          if (stepDoubleQuote(q)) {
            stack.pop();
            returned = q.result.toString();
            hasReturn = true;
          }
        } else {
          Dollar d = (Dollar) frame;
          String result = stepDollar(d, value);
          if (result != null) {
            stack.pop();
            returned = result;
            hasReturn = true;
          }
        }
      }
    } catch (LexException e) {
      throw unwind(e);
    }
    return topWords;
  }

  /** Applies the message conversions BuildKit's {@code processDollar} makes as an error rises. */
  private LexException unwind(LexException error) {
    String message = error.getMessage();
    boolean first = true;
    while (!stack.isEmpty()) {
      Frame frame = stack.pop();
      if (!first && frame instanceof Dollar d && peek() == EOF) {
        message = d.stage == Dollar.Stage.PATTERN
            ? "syntax error: missing '/' in ${}" : "syntax error: missing '}'";
      }
      first = false;
    }
    return new LexException(message);
  }

  private void pushStopOn(int stopChar, boolean frameRawEscapes) {
    wordBuffer.setLength(0);
    stack.push(new StopOn(stopChar, rawEscapes));
    rawEscapes = frameRawEscapes;
  }

  private enum StopOnStep { DONE, CALLED }

  private StopOnStep stepStopOn(StopOn s) throws LexException {
    while (peek() != EOF) {
      int ch = peek();
      if (s.stopChar != EOF && ch == s.stopChar) {
        next();
        return StopOnStep.DONE;
      }
      if (ch == '$') {
        s.pendingChar = '$';
        stack.push(new Dollar());
        return StopOnStep.CALLED;
      }
      if (ch == '<') {
        String tmp = possibleHeredoc();
        s.result.append(tmp);
        addRawString(s, tmp);
        continue;
      }
      if (ch == '"') {
        s.pendingChar = '"';
        DoubleQuote q = new DoubleQuote();
        next();
        if (rawQuotes) {
          q.result.append('"');
        }
        stack.push(q);
        return StopOnStep.CALLED;
      }
      if (ch == '\'') {
        String tmp = singleQuote();
        s.result.append(tmp);
        addRawString(s, tmp);
        continue;
      }
      ch = next();
      if (ch == '\\') {
        if (rawEscapes) {
          addRawChar(s, ch);
          s.result.appendCodePoint(ch);
        }
        ch = next();
        if (ch == EOF) {
          break;
        }
        addRawChar(s, ch);
      } else {
        addChar(s, ch);
      }
      s.result.appendCodePoint(ch);
    }
    if (s.stopChar != EOF) {
      throw new LexException("unexpected end of statement while looking for matching "
          + runeString(s.stopChar));
    }
    return StopOnStep.DONE;
  }

  /**
   * {@code processPossibleHeredoc}: a {@code <<} keeps the spaces, tabs and carriage returns after
   * it in its word, so {@code << EOF} is one word.
   */
  private String possibleHeredoc() {
    next();
    if (peek() != '<') {
      return "<";
    }
    next();
    StringBuilder result = new StringBuilder("<<");
    while (peek() == ' ' || peek() == '\t' || peek() == '\r') {
      result.appendCodePoint(next());
    }
    return result.toString();
  }

  private String singleQuote() throws LexException {
    StringBuilder result = new StringBuilder();
    int ch = next();
    if (rawQuotes) {
      result.appendCodePoint(ch);
    }
    while (true) {
      ch = next();
      if (ch == EOF) {
        throw new LexException(
            "unexpected end of statement while looking for matching single-quote");
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

  /** Advances a double-quoted string; true when it is complete. */
  private boolean stepDoubleQuote(DoubleQuote q) throws LexException {
    while (true) {
      int p = peek();
      if (p == EOF) {
        throw new LexException(
            "unexpected end of statement while looking for matching double-quote");
      }
      if (p == '"') {
        next();
        if (rawQuotes) {
          q.result.append('"');
        }
        return true;
      }
      if (p == '$') {
        stack.push(new Dollar());
        return false;
      }
      int ch = next();
      if (ch == '\\') {
        if (rawEscapes) {
          q.result.appendCodePoint(ch);
        }
        int after = peek();
        if (after == EOF) {
          continue;
        }
        if (after == '"' || after == '$' || after == '\\') {
          ch = next();
        }
      }
      q.result.appendCodePoint(ch);
    }
  }

  /**
   * Advances a {@code $…} expansion, {@code value} being what the nested call returned. Returns
   * the expansion text when complete, or null after pushing a nested call.
   */
  private String stepDollar(Dollar d, String value) throws LexException {
    switch (d.stage) {
      case START -> {
        next();
        if (peek() != '{') {
          String name = processName();
          return name.isEmpty() ? "$" : "$" + name;
        }
        next();
        int p = peek();
        if (p == EOF) {
          throw new LexException("syntax error: missing '}'");
        }
        if (p == '{' || p == '}' || p == ':') {
          throw new LexException("syntax error: bad substitution");
        }
        d.name = processName();
        int ch = next();
        d.chs = runeString(ch);
        boolean nullIsUnset = false;
        if (ch == '}') {
          return "${" + d.name + "}";
        }
        if (ch == ':') {
          nullIsUnset = true;
          ch = next();
          d.chs += runeString(ch);
        } else if (ch == '/') {
          if (peek() == '/') {
            next();
          }
          d.stage = Dollar.Stage.PATTERN;
          pushStopOn('/', true);
          return null;
        } else if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
          throw new LexException("unsupported modifier (" + d.chs + ") in substitution");
        }
        boolean raw = ch == '#' || ch == '%';
        if (nullIsUnset && raw) {
          throw new LexException("unsupported modifier (" + d.chs + ") in substitution");
        }
        d.stage = Dollar.Stage.WORD;
        pushStopOn('}', raw);
        return null;
      }
      case WORD -> {
        return "${" + d.name + d.chs + value + "}";
      }
      case PATTERN -> {
        d.pattern = value;
        d.stage = Dollar.Stage.REPLACEMENT;
        pushStopOn('}', true);
        return null;
      }
      case REPLACEMENT -> {
        return "${" + d.name + "/" + d.pattern + "/" + value + "}";
      }
      default -> throw new IllegalStateException();
    }
  }

  private String processName() {
    StringBuilder name = new StringBuilder();
    while (peek() != EOF) {
      int ch = peek();
      if (name.length() == 0 && Character.isDigit(ch)) {
        while (peek() != EOF && Character.isDigit(peek())) {
          name.appendCodePoint(next());
        }
        return name.toString();
      }
      if (name.length() == 0 && isSpecialParam(ch)) {
        next();
        return runeString(ch);
      }
      if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
        break;
      }
      name.appendCodePoint(next());
    }
    return name.toString();
  }

  private static boolean isSpecialParam(int ch) {
    return ch == '@' || ch == '*' || ch == '#' || ch == '?' || ch == '-' || ch == '$'
        || ch == '!' || ch == '0';
  }

  // ---- BuildKit's wordsStruct, over the shared buffer --------------------------------------

  private void addChar(StopOn s, int ch) {
    if (GoText.isSpace(ch) && s.inWord) {
      if (wordBuffer.length() != 0) {
        s.words.add(wordBuffer.toString());
        wordBuffer.setLength(0);
        s.inWord = false;
      }
    } else if (!GoText.isSpace(ch)) {
      addRawChar(s, ch);
    }
  }

  private void addRawChar(StopOn s, int ch) {
    wordBuffer.appendCodePoint(ch);
    s.inWord = true;
  }

  private void addString(StopOn s, String str) {
    int i = 0;
    while (i < str.length()) {
      int ch = str.codePointAt(i);
      i += Character.charCount(ch);
      addChar(s, ch);
    }
  }

  private void addRawString(StopOn s, String str) {
    wordBuffer.append(str);
    s.inWord = true;
  }

  private List<String> getWords(StopOn s) {
    if (wordBuffer.length() > 0) {
      s.words.add(wordBuffer.toString());
      wordBuffer.setLength(0);
      s.inWord = false;
    }
    return s.words;
  }
}
