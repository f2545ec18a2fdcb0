package io.zlayer.domain.dockerfile.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.zlayer.domain.error.DockerfileException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands arbitrary words with every option combination. The only acceptable failure is a
 * {@link DockerfileException} in BuildKit's wording; successful expansions must be consistent.
 * Seeds: {@code ShellLexerFuzzTestInputs/expand/} (the word in UTF-8, then one byte of options).
 * Fuzz with {@code JAZZER_FUZZ=1 mvn -pl domain test -Dtest=ShellLexerFuzzTest}.
 */
class ShellLexerFuzzTest {
  private static final VariableLookup ENV = VariableLookup.of(Map.of(
      "A", "a", "E", "", "S", " x  y\u00a0", "G", "*a?\\", "D", "$0$$", "N", "a\nb",
      "P", "#a", "1", "one", "@", "at"));

  @FuzzTest(maxDuration = "60s")
  void expand(FuzzedDataProvider data) {
    int options = data.consumeInt(0, 31);
    ShellLexer lexer = new ShellLexer((options & 1) != 0 ? '`' : '\\')
        .withRawQuotes((options & 2) != 0)
        .withRawEscapes((options & 4) != 0)
        .withSkipUnsetEnv((options & 8) != 0)
        .withSkipProcessQuotes((options & 16) != 0);
    String word = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
    Expansion expansion;
    try {
      expansion = lexer.processWordWithMatches(word, ENV);
    } catch (DockerfileException e) {
      assertTrue(e.getMessage().startsWith("failed to process \""), e.getMessage());
      assertEquals(0, e.line());
      return;
    }
    Set<String> both = new HashSet<>(expansion.matched());
    both.retainAll(expansion.unmatched());
    assertTrue(both.isEmpty(), "a name is both set and unset: " + both);
    for (String name : expansion.matched()) {
      assertTrue(ENV.lookup(name).isPresent(), name);
    }
    for (String w : expansion.words()) {
      assertFalse(w.isEmpty(), "empty word");
    }
    if (isPlain(word, lexer.escapeToken())) {
      assertEquals(word, expansion.result());
      assertEquals(goFields(word), expansion.words());
      assertTrue(expansion.matched().isEmpty() && expansion.unmatched().isEmpty());
    }
  }

  /** Words with nothing for the lexer to act on. */
  private static boolean isPlain(String word, char escape) {
    if (word.startsWith("\uFEFF")) {
      return false;
    }
    return word.chars().noneMatch(c -> c == '$' || c == '\'' || c == '"' || c == escape);
  }

  /** Go's {@code strings.FieldsFunc(s, unicode.IsSpace)}. */
  private static List<String> goFields(String s) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    s.codePoints().forEach(cp -> {
      if (GoText.isSpace(cp)) {
        if (field.length() > 0) {
          fields.add(field.toString());
          field.setLength(0);
        }
      } else {
        field.appendCodePoint(cp);
      }
    });
    if (field.length() > 0) {
      fields.add(field.toString());
    }
    return fields;
  }
}
