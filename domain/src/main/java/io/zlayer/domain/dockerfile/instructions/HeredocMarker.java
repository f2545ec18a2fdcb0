package io.zlayer.domain.dockerfile.instructions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code <<EOF} word among COPY/ADD arguments (BuildKit's {@code parser.MustParseHeredoc}):
 * the delimiter with quotes removed, whether the body is expanded (no quoting used), and
 * whether leading tabs are stripped ({@code <<-}).
 */
record HeredocMarker(String name, boolean expand, boolean chomp) {
  private static final Pattern MARKER = Pattern.compile("^(\\d*)<<(-?)[ \\t\\n\\f\\r]*([^<]*)$");
  private static final Pattern LEADING_TABS = Pattern.compile("(?m)^\\t+");

  /** The marker a word spells, if it is one. */
  static Optional<HeredocMarker> of(String word) {
    Matcher m = MARKER.matcher(word);
    if (!m.matches() || m.group(3).isEmpty()) {
      return Optional.empty();
    }
    boolean[] quoted = new boolean[1];
    List<String> words = lexWords(m.group(3), quoted);
    if (words.size() != 1) {
      return Optional.empty();
    }
    return Optional.of(new HeredocMarker(words.get(0), !quoted[0], m.group(2).equals("-")));
  }

  /** BuildKit's {@code ChompHeredocContent}: strips leading tabs from every line. */
  static String chomp(String content) {
    return LEADING_TABS.matcher(content).replaceAll("");
  }

  /**
   * Splits like BuildKit's shell lexer with no environment and unset variables kept literally:
   * whitespace separates words, backslash escapes, single quotes are literal, double quotes allow
   * escaping {@code "}, {@code $} and backslash. Sets {@code quoted[0]} when a quote was used.
   */
  private static List<String> lexWords(String text, boolean[] quoted) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      inWord = true;
      if (c == '\\') {
        if (i + 1 < text.length()) {
          word.append(text.charAt(i + 1));
        }
        i += 2;
      } else if (c == '\'') {
        quoted[0] = true;
        int end = text.indexOf('\'', i + 1);
        end = end < 0 ? text.length() : end;
        word.append(text, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        quoted[0] = true;
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
          char d = text.charAt(i);
          if (d == '\\' && i + 1 < text.length()
              && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '$'
                  || text.charAt(i + 1) == '\\')) {
            word.append(text.charAt(i + 1));
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        i++;
      } else {
        word.append(c);
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
