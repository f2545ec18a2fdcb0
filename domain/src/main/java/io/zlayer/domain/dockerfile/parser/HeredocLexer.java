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
  //
  // With an empty environment every expansion returns its own text, so all output is appended in
  // order to one buffer ({@code out}); a nested call's result is just the part it appended. Only
  // the outermost level splits words (BuildKit discards the words of nested levels, and a nested
  // level empties the shared word buffer when it starts and ends), which keeps lexing linear.

  private abstract static class Frame {}

  /** {@code processStopOn(stopChar, rawEscapes)}. */
  private static final class StopOn extends Frame {
    final int stopChar;
    final boolean previousRawEscapes;
    final boolean outermost;
    boolean inWord;
    final List<String> words = new ArrayList<>();
    /** The char whose function call is under way, and where its output starts in out. */
    int pendingChar;
    int callStart;

    StopOn(int stopChar, boolean previousRawEscapes, boolean outermost) {
      this.stopChar = stopChar;
      this.previousRawEscapes = previousRawEscapes;
      this.outermost = outermost;
    }
  }

  /** {@code processDoubleQuote()} waiting for a nested {@code $…}. */
  private static final class DoubleQuote extends Frame {}

  /** {@code processDollar()} waiting for a nested {@code processStopOn}. */
  private static final class Dollar extends Frame {
    enum Stage { START, WORD, PATTERN, REPLACEMENT }

    Stage stage = Stage.START;
  }

  private final Deque<Frame> stack = new ArrayDeque<>();
  private final StringBuilder out = new StringBuilder();

  private List<String> run() throws LexException {
    stack.clear();
    out.setLength(0);
    wordBuffer.setLength(0);
    StopOn top = new StopOn(EOF, rawEscapes, true);
    stack.push(top);
    boolean returned = false;
    try {
      while (!stack.isEmpty()) {
        Frame frame = stack.peek();
        boolean resumed = returned;
        returned = false;
        if (frame instanceof StopOn s) {
          if (resumed && s.outermost) {
            String tmp = out.substring(s.callStart);
            out.setLength(s.callStart);
            if (s.pendingChar == '$') {
              addString(s, tmp);
            } else {
              addRawString(s, tmp);
            }
          }
          if (stepStopOn(s)) {
            stack.pop();
            rawEscapes = s.previousRawEscapes;
            if (!s.outermost) {
              wordBuffer.setLength(0);
              returned = true;
            }
          }
        } else if (frame instanceof DoubleQuote) {
          if (stepDoubleQuote()) {
            stack.pop();
            returned = true;
          }
        } else if (stepDollar((Dollar) frame)) {
          stack.pop();
          returned = true;
        }
      }
    } catch (LexException e) {
      throw unwind(e);
    }
    return getWords(top);
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
    stack.push(new StopOn(stopChar, rawEscapes, false));
    rawEscapes = frameRawEscapes;
  }

  /** Starts the function call for a special char of a StopOn level. */
  private void call(StopOn s, int ch) {
    s.pendingChar = ch;
    s.callStart = out.length();
  }

  /** Advances a {@code processStopOn}; true when it is complete. */
  private boolean stepStopOn(StopOn s) throws LexException {
    while (peek() != EOF) {
      int ch = peek();
      if (s.stopChar != EOF && ch == s.stopChar) {
        next();
        return true;
      }
      if (ch == '$') {
        call(s, ch);
        stack.push(new Dollar());
        return false;
      }
      if (ch == '"') {
        call(s, ch);
        next();
        if (rawQuotes) {
          out.append('"');
        }
        stack.push(new DoubleQuote());
        return false;
      }
      if (ch == '<' || ch == '\'') {
        call(s, ch);
        if (ch == '<') {
          possibleHeredoc();
        } else {
          singleQuote();
        }
        if (s.outermost) {
          addRawString(s, out.substring(s.callStart));
          out.setLength(s.callStart);
        }
        continue;
      }
      ch = next();
      if (ch == '\\') {
        if (rawEscapes) {
          if (s.outermost) {
            addRawChar(s, ch);
          } else {
            out.appendCodePoint(ch);
          }
        }
        ch = next();
        if (ch == EOF) {
          break;
        }
        if (s.outermost) {
          addRawChar(s, ch);
        }
      } else if (s.outermost) {
        addChar(s, ch);
      }
      if (!s.outermost) {
        out.appendCodePoint(ch);
      }
    }
    if (s.stopChar != EOF) {
      throw new LexException("unexpected end of statement while looking for matching "
          + runeString(s.stopChar));
    }
    return true;
  }

  /**
   * {@code processPossibleHeredoc}: a {@code <<} keeps the spaces, tabs and carriage returns after
   * it in its word, so {@code << EOF} is one word.
   */
  private void possibleHeredoc() {
    next();
    out.append('<');
    if (peek() != '<') {
      return;
    }
    next();
    out.append('<');
    while (peek() == ' ' || peek() == '\t' || peek() == '\r') {
      out.appendCodePoint(next());
    }
  }

  private void singleQuote() throws LexException {
    int ch = next();
    if (rawQuotes) {
      out.appendCodePoint(ch);
    }
    while (true) {
      ch = next();
      if (ch == EOF) {
        throw new LexException(
            "unexpected end of statement while looking for matching single-quote");
      }
      if (ch == '\'') {
        if (rawQuotes) {
          out.appendCodePoint(ch);
        }
        return;
      }
      out.appendCodePoint(ch);
    }
  }

  /** Advances a double-quoted string; true when it is complete. */
  private boolean stepDoubleQuote() throws LexException {
    while (true) {
      int p = peek();
      if (p == EOF) {
        throw new LexException(
            "unexpected end of statement while looking for matching double-quote");
      }
      if (p == '"') {
        next();
        if (rawQuotes) {
          out.append('"');
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
          out.appendCodePoint(ch);
        }
        int after = peek();
        if (after == EOF) {
          continue;
        }
        if (after == '"' || after == '$' || after == '\\') {
          ch = next();
        }
      }
      out.appendCodePoint(ch);
    }
  }

  /**
   * Advances a {@code $…} expansion (its text goes to {@code out}); true when complete, false
   * after pushing a nested call. Unset variables are kept as written, so the text is the
   * expansion as BuildKit rebuilds it: {@code ${name<modifier>word}}.
   */
  private boolean stepDollar(Dollar d) throws LexException {
    switch (d.stage) {
      case START -> {
        next();
        if (peek() != '{') {
          out.append('$').append(processName());
          return true;
        }
        next();
        int p = peek();
        if (p == EOF) {
          throw new LexException("syntax error: missing '}'");
        }
        if (p == '{' || p == '}' || p == ':') {
          throw new LexException("syntax error: bad substitution");
        }
        String name = processName();
        int ch = next();
        String chs = runeString(ch);
        boolean nullIsUnset = false;
        if (ch == '}') {
          out.append("${").append(name).append('}');
          return true;
        }
        if (ch == ':') {
          nullIsUnset = true;
          ch = next();
          chs += runeString(ch);
        } else if (ch == '/') {
          if (peek() == '/') {
            next();
          }
          out.append("${").append(name).append('/');
          d.stage = Dollar.Stage.PATTERN;
          pushStopOn('/', true);
          return false;
        } else if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
          throw new LexException("unsupported modifier (" + chs + ") in substitution");
        }
        boolean raw = ch == '#' || ch == '%';
        if (nullIsUnset && raw) {
          throw new LexException("unsupported modifier (" + chs + ") in substitution");
        }
        out.append("${").append(name).append(chs);
        d.stage = Dollar.Stage.WORD;
        pushStopOn('}', raw);
        return false;
      }
      case PATTERN -> {
        out.append('/');
        d.stage = Dollar.Stage.REPLACEMENT;
        pushStopOn('}', true);
        return false;
      }
      default -> {
        out.append('}');
        return true;
      }
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
