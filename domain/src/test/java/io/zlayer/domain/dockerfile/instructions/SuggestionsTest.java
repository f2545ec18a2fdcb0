package io.zlayer.domain.dockerfile.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> OPTIONS = List.of("FROM", "RUN", "COPY", "ENTRYPOINT");

  @Test
  void levenshteinDistance() {
    assertEquals(0, Suggestions.distance("abc", "abc"));
    assertEquals(3, Suggestions.distance("", "abc"));
    assertEquals(2, Suggestions.distance("form", "from"));
    assertEquals(1, Suggestions.distance("copyy", "copy"));
    assertEquals(3, Suggestions.distance("kitten", "sitting"));
    assertEquals(1, Suggestions.distance("µs", "μs"));
  }

  @Test
  void closeEnoughWordsGetAHintInTheirCase() {
    assertEquals(Optional.of("FROM"), Suggestions.closest("FORM", OPTIONS, false));
    assertEquals(Optional.of("from"), Suggestions.closest("form", OPTIONS, false));
    assertEquals(Optional.of("run"), Suggestions.closest("Rnu", OPTIONS, false));
  }

  @Test
  void distanceThreeOrMoreGetsNoHint() {
    assertEquals(Optional.empty(), Suggestions.closest("XYZ", OPTIONS, false));
    assertEquals(Optional.empty(), Suggestions.closest("ENTRY", OPTIONS, false));
  }

  @Test
  void anExactMatchMeansTheErrorWasNotAboutSpelling() {
    assertEquals(Optional.empty(), Suggestions.closest("copy", OPTIONS, false));
    assertEquals(Optional.empty(), Suggestions.closest("link", List.of("lin", "link"), true));
    assertEquals(Optional.empty(), Suggestions.closest("copy", List.of("COPY"), true));
  }

  @Test
  void firstOfEquallyCloseOptionsWins() {
    assertEquals(Optional.of("bind"), Suggestions.closest("bnid", List.of("bind", "bins"), true));
  }

  @Test
  void hintText() {
    assertEquals("unknown flag: --lnik (did you mean link?)",
        Suggestions.withHint("unknown flag: --lnik", "lnik", List.of("link"), true));
    assertEquals("unknown flag: --zzz",
        Suggestions.withHint("unknown flag: --zzz", "zzz", List.of("link"), true));
  }
}
