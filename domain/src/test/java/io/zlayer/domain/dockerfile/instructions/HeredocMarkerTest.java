package io.zlayer.domain.dockerfile.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cases from BuildKit's parser_heredoc_test.go (TestHeredocParse / ParseHeredoc). */
class HeredocMarkerTest {

  private static Optional<HeredocMarker> marker(String word) {
    return HeredocMarker.of(word);
  }

  @Test
  void plainAndChomped() {
    assertEquals(Optional.of(new HeredocMarker("EOF", true, false)), marker("<<EOF"));
    assertEquals(Optional.of(new HeredocMarker("EOF", true, true)), marker("<<-EOF"));
    assertEquals(Optional.of(new HeredocMarker("EOF", true, false)), marker("3<<EOF"));
    assertEquals(Optional.of(new HeredocMarker("EOF", true, false)), marker("<< EOF"));
  }

  @Test
  void quotingDisablesExpansion() {
    assertEquals(Optional.of(new HeredocMarker("EOF", false, false)), marker("<<'EOF'"));
    assertEquals(Optional.of(new HeredocMarker("EOF", false, false)), marker("<<\"EOF\""));
    assertEquals(Optional.of(new HeredocMarker("eof", false, false)), marker("<<eo'f'"));
    assertEquals(Optional.of(new HeredocMarker("eo'f", true, false)), marker("<<eo\\'f"));
    assertEquals(Optional.of(new HeredocMarker("eo'f", false, false)), marker("<<'e'o\\'f"));
    assertEquals(Optional.of(new HeredocMarker("$EOF", true, false)), marker("<<$EOF"));
  }

  @Test
  void notMarkers() {
    assertEquals(Optional.empty(), marker("<<"));
    assertEquals(Optional.empty(), marker("EOF"));
    assertEquals(Optional.empty(), marker("a<<EOF"));
    assertEquals(Optional.empty(), marker("<<EOF<<"));
    assertEquals(Optional.empty(), marker("\"<<EOF\""));
    assertEquals(Optional.empty(), marker("<<one two"));
  }

  @Test
  void chompStripsLeadingTabsOfEveryLine() {
    assertEquals("a\nb\n  c\n", HeredocMarker.chomp("\ta\n\t\tb\n  c\n"));
  }
}
