package io.zlayer.domain.dockerfile.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * BuildKit's line parsers ({@code line_parsers.go}) and command splitting
 * ({@code split_command.go}): how the text after an instruction keyword becomes flags and the
 * argument words of the AST. Each method keeps BuildKit's behaviour, quirks included; where Go
 * looks at single bytes rather than runes ({@code extractBuilderFlags}, {@code parseHealthConfig})
 * this works on the UTF-8 bytes too.
 */
final class InstructionArguments {
  static final String NOT_STRING_ARRAY =
      "when using JSON array syntax, arrays must be comprised of strings only";

  private InstructionArguments() {}

  /** A failure with BuildKit's message; the parser adds the line. */
  static final class ArgumentException extends Exception {
    private static final long serialVersionUID = 1L;

    ArgumentException(String message) {
      super(message);
    }
  }

  /** The words after the keyword and whether they were written as a JSON array. */
  record Arguments(List<String> words, boolean json) {
    static final Arguments NONE = new Arguments(List.of(), false);

    static Arguments of(List<String> words) {
      return new Arguments(words, false);
    }
  }

  /** {@code splitCommand}: the keyword as written, the {@code --flags}, the rest trimmed. */
  record SplitCommand(String keyword, List<String> flags, String args) {}

  static SplitCommand splitCommand(String line, char escape) {
    List<String> cmdline = GoText.splitWhitespace(GoText.trimSpace(line), 2);
    String args = "";
    List<String> flags = List.of();
    if (cmdline.size() == 2) {
      FlagSplit split = extractBuilderFlags(cmdline.get(1), escape);
      args = split.rest();
      flags = split.flags();
    }
    return new SplitCommand(cmdline.get(0), flags, GoText.trimSpace(args));
  }

  private record FlagSplit(String rest, List<String> flags) {}

  private static final int IN_SPACES = 0;
  private static final int IN_WORD = 1;
  private static final int IN_QUOTE = 2;

  /**
   * {@code extractBuilderFlags}. Go indexes the line by byte and treats each byte as a rune, so a
   * non-ASCII byte becomes the Latin-1 character of that value, and 0x85 and 0xA0 count as
   * spaces; this does the same on the UTF-8 bytes.
   */
  private static FlagSplit extractBuilderFlags(String text, char escape) {
    byte[] line = GoText.toBytes(text);
    int len = line.length;
    List<String> words = new ArrayList<>();
    int phase = IN_SPACES;
    StringBuilder word = new StringBuilder();
    int quote = 0;
    boolean blankOk = false;
    int ch = 0;
    for (int pos = 0; pos <= len; pos++) {
      if (pos != len) {
        ch = line[pos] & 0xFF;
      }
      if (phase == IN_SPACES) {
        if (pos == len) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        if (ch != '-' || pos + 1 == len || line[pos + 1] != '-') {
          return new FlagSplit(GoText.decode(line, pos, len), List.copyOf(words));
        }
        phase = IN_WORD;
      }
      if ((phase == IN_WORD || phase == IN_QUOTE) && pos == len) {
        String w = word.toString();
        if (!w.equals("--") && (blankOk || !w.isEmpty())) {
          words.add(w);
        }
        break;
      }
      if (phase == IN_WORD) {
        if (GoText.isSpace(ch)) {
          String w = word.toString();
          phase = IN_SPACES;
          if (w.equals("--")) {
            return new FlagSplit(GoText.decode(line, pos, len), List.copyOf(words));
          }
          if (blankOk || !w.isEmpty()) {
            words.add(w);
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = IN_QUOTE;
          continue;
        }
        if (ch == escape) {
          if (pos + 1 == len) {
            continue;
          }
          pos++;
          ch = line[pos] & 0xFF;
        }
        word.append((char) ch);
        continue;
      }
      if (ch == quote) {
        phase = IN_WORD;
        continue;
      }
      if (ch == escape) {
        if (pos + 1 == len) {
          phase = IN_WORD;
          continue;
        }
        pos++;
        ch = line[pos] & 0xFF;
      }
      word.append((char) ch);
    }
    return new FlagSplit("", List.copyOf(words));
  }

  /** {@code parseWords}: words with their quotes and escapes kept, for ENV, LABEL and ARG. */
  static List<String> parseWords(String rest, char escape) {
    List<String> words = new ArrayList<>();
    int phase = IN_SPACES;
    StringBuilder word = new StringBuilder();
    int quote = 0;
    boolean blankOk = false;
    int ch = 0;
    int width = 0;
    int len = rest.length();
    for (int pos = 0; pos <= len; pos += width) {
      if (pos != len) {
        ch = GoText.runeAt(rest, pos);
        width = GoText.runeWidth(rest, pos);
      }
      if (phase == IN_SPACES) {
        if (pos == len) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        phase = IN_WORD;
      }
      if ((phase == IN_WORD || phase == IN_QUOTE) && pos == len) {
        if (blankOk || word.length() > 0) {
          words.add(word.toString());
        }
        break;
      }
      if (phase == IN_WORD) {
        if (GoText.isSpace(ch)) {
          phase = IN_SPACES;
          if (blankOk || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = IN_QUOTE;
        }
        if (ch == escape) {
          if (pos + width == len) {
            continue;
          }
          word.appendCodePoint(ch);
          pos += width;
          ch = GoText.runeAt(rest, pos);
          width = GoText.runeWidth(rest, pos);
        }
        word.appendCodePoint(ch);
        continue;
      }
      if (ch == quote) {
        phase = IN_WORD;
      }
      if (ch == escape && quote != '\'') {
        if (pos + width == len) {
          phase = IN_WORD;
          continue;
        }
        pos += width;
        word.appendCodePoint(ch);
        ch = GoText.runeAt(rest, pos);
        width = GoText.runeWidth(rest, pos);
      }
      word.appendCodePoint(ch);
    }
    return words;
  }

  /**
   * {@code parseNameVal} for ENV and LABEL: key, value, separator triples; the legacy
   * {@code KEY value} form has the separator "".
   */
  static Arguments nameValues(String rest, String keyword, char escape)
      throws ArgumentException {
    List<String> words = parseWords(rest, escape);
    if (words.isEmpty()) {
      return Arguments.NONE;
    }
    if (!words.get(0).contains("=")) {
      List<String> parts = GoText.splitWhitespace(rest, 2);
      if (parts.size() < 2) {
        throw new ArgumentException(keyword + " must have two arguments");
      }
      return Arguments.of(List.of(parts.get(0), parts.get(1), ""));
    }
    List<String> out = new ArrayList<>(words.size() * 3);
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new ArgumentException("Syntax error - can't find = in " + GoQuote.quote(word)
            + ". Must be of the form: name=value");
      }
      out.add(word.substring(0, eq));
      out.add(word.substring(eq + 1));
      out.add("=");
    }
    return Arguments.of(out);
  }

  /** {@code parseNameOrNameVal} for ARG: one word per name or name=value. */
  static Arguments nameOrNameValues(String rest, char escape) {
    return Arguments.of(parseWords(rest, escape));
  }

  /** {@code parseStringsWhitespaceDelimited} for FROM and EXPOSE. */
  static Arguments whitespaceDelimited(String rest) {
    if (rest.isEmpty()) {
      return Arguments.NONE;
    }
    return Arguments.of(GoText.splitWhitespace(rest, -1));
  }

  /** {@code parseString} for MAINTAINER, STOPSIGNAL, USER and WORKDIR. */
  static Arguments string(String rest) {
    return rest.isEmpty() ? Arguments.NONE : Arguments.of(List.of(rest));
  }

  /** {@code parseMaybeJSON} for RUN, CMD, ENTRYPOINT and SHELL. */
  static Arguments maybeJson(String rest) throws ArgumentException {
    if (rest.isEmpty()) {
      return Arguments.NONE;
    }
    JsonStringArray.Outcome outcome = json(rest);
    if (outcome instanceof JsonStringArray.Strings strings) {
      return new Arguments(strings.values(), true);
    }
    if (outcome instanceof JsonStringArray.NotAllStrings) {
      throw new ArgumentException(NOT_STRING_ARRAY);
    }
    return Arguments.of(List.of(rest));
  }

  /** {@code parseMaybeJSONToList} for ADD, COPY and VOLUME. */
  static Arguments maybeJsonToList(String rest) throws ArgumentException {
    JsonStringArray.Outcome outcome = json(rest);
    if (outcome instanceof JsonStringArray.Strings strings) {
      return new Arguments(strings.values(), true);
    }
    if (outcome instanceof JsonStringArray.NotAllStrings) {
      throw new ArgumentException(NOT_STRING_ARRAY);
    }
    return whitespaceDelimited(rest);
  }

  private static JsonStringArray.Outcome json(String rest) {
    String trimmed = GoText.trimLeftSpace(rest);
    if (!trimmed.startsWith("[")) {
      return new JsonStringArray.NotJson();
    }
    return JsonStringArray.parse(trimmed);
  }

  /**
   * {@code parseHealthConfig}: the first word (CMD, NONE, …) then the command as
   * {@code parseMaybeJSON}. Go finds the end of the first word byte by byte.
   */
  static Arguments healthConfig(String rest) throws ArgumentException {
    byte[] bytes = GoText.toBytes(rest);
    int sep = 0;
    while (sep < bytes.length && !GoText.isSpace(bytes[sep] & 0xFF)) {
      sep++;
    }
    int next = sep;
    while (next < bytes.length && GoText.isSpace(bytes[next] & 0xFF)) {
      next++;
    }
    if (sep == 0) {
      return Arguments.NONE;
    }
    String type = GoText.decode(bytes, 0, sep);
    Arguments command = maybeJson(GoText.decode(bytes, next, bytes.length));
    List<String> words = new ArrayList<>(command.words().size() + 1);
    words.add(type);
    words.addAll(command.words());
    return new Arguments(words, command.json());
  }
}
