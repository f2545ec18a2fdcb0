package io.zlayer.domain.zimage;

import io.zlayer.domain.json.Json;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes ZImagefile values as Dockerfile words that the Dockerfile front end reads back as the
 * same values. Expanded fields keep {@code $NAME} and {@code ${NAME}} (the ZImagefile's variable
 * syntax is the Dockerfile's) and {@code \$} for a literal dollar; every other character,
 * quotes and backslashes included, means itself.
 */
final class DockerfileWords {
  private static final Pattern BARE = Pattern.compile("[^\\s\"'\\\\]+");

  private DockerfileWords() {}

  /** An expanded word: bare when nothing in it is special to the lexer, else double-quoted. */
  static String word(String value) {
    return BARE.matcher(value).matches() ? value : quoted(value);
  }

  /** Inside double quotes only {@code \"}, {@code \\} and {@code \$} are escapes. */
  static String quoted(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
        sb.append("\\$");
        i++;
      } else if (c == '\\' || c == '"') {
        sb.append('\\').append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Whether a list of expanded values can be written space-separated (none has a space). */
  static boolean fitsPlainList(List<String> values) {
    for (String v : values) {
      for (int i = 0; i < v.length(); i++) {
        if (Character.isWhitespace(v.charAt(i))) {
          return false;
        }
      }
    }
    return true;
  }

  /** A list of expanded values: space-separated words, or a JSON array when one has a space. */
  static String expandedList(List<String> values) {
    StringBuilder sb = new StringBuilder();
    if (fitsPlainList(values)) {
      for (String v : values) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(word(v));
      }
      return sb.toString();
    }
    sb.append('[');
    for (String v : values) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      // the front end expands JSON-form elements too, so they are lexer words inside JSON
      String lexed = v.indexOf('"') >= 0 || v.indexOf('\'') >= 0 || v.indexOf('\\') >= 0
          ? quoted(v) : v;
      Json.quote(lexed, sb);
    }
    return sb.append(']').toString();
  }

  /** An exec-form list (RUN, CMD, ENTRYPOINT): JSON, never expanded. */
  static String execForm(List<String> arguments) {
    StringBuilder sb = new StringBuilder("[");
    for (String a : arguments) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      Json.quote(a, sb);
    }
    return sb.append(']').toString();
  }

  /**
   * Whether a shell command can follow an instruction on one line and be read back unchanged:
   * no line break, not ending in the escape character (a continuation), not looking like a JSON
   * array or a heredoc.
   */
  static boolean fitsOneLine(String command) {
    String t = command.strip();
    return !t.isEmpty() && command.indexOf('\n') < 0 && command.indexOf('\r') < 0
        && !t.startsWith("[") && !t.endsWith("\\") && !command.contains("<<");
  }
}
