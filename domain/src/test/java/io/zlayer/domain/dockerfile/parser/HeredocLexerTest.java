package io.zlayer.domain.dockerfile.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The BuildKit shell-lexer modes the parser uses to find heredocs. */
class HeredocLexerTest {
  private static List<String> lineWords(String line) throws HeredocLexer.LexException {
    return new HeredocLexer(true, true).processWords(line);
  }

  private static List<String> words(String word) throws HeredocLexer.LexException {
    return new HeredocLexer(false, false).processWords(word);
  }

  @Test
  void rawModeKeepsQuotesAndEscapes() throws HeredocLexer.LexException {
    assertEquals(List.of("RUN", "'a b'", "\"c\\\"d\"", "e\\ f"),
        lineWords("RUN 'a b' \"c\\\"d\" e\\ f"));
  }

  @Test
  void plainModeRemovesThem() throws HeredocLexer.LexException {
    assertEquals(List.of("a b", "c\"d", "e f", "g\\h"), words("'a b' \"c\\\"d\" e\\ f \"g\\h\""));
  }

  @Test
  void unsetVariablesStayAsWritten() throws HeredocLexer.LexException {
    assertEquals(List.of("$A", "${B}", "${C:-x y}", "${D/a/b}", "$", "$1", "$@"),
        words("$A ${B} \"${C:-x y}\" \"${D//a/b}\" $ $1 $@"));
    assertEquals(List.of("${X:-a", "b}"), words("${X:-a b}"));
  }

  @Test
  void blanksAfterDoubleLessThanStayInTheWord() throws HeredocLexer.LexException {
    assertEquals(List.of("RUN", "<< \tEOF", ">", "f"), lineWords("RUN << \tEOF > f"));
    assertEquals(List.of("a<b", "<<"), lineWords("a<b <<"));
  }

  @Test
  void nestedExpansionsClearTheSharedWordBuffer() throws HeredocLexer.LexException {
    // BuildKit's nested processStopOn resets the word buffer it shares with the outer level
    assertEquals(List.of("${X:-y}z"), words("abc${X:-y}z"));
  }

  @Test
  void errorsUseBuildKitsMessages() {
    assertEquals("failed to process \"'a\": unexpected end of statement while looking for "
        + "matching single-quote", message("'a"));
    assertEquals("failed to process \"\\\"a\": unexpected end of statement while looking for "
        + "matching double-quote", message("\"a"));
    assertEquals("failed to process \"${\": syntax error: missing '}'", message("${"));
    assertEquals("failed to process \"${}\": syntax error: bad substitution", message("${}"));
    assertEquals("failed to process \"${a:-b\": syntax error: missing '}'", message("${a:-b"));
    assertEquals("failed to process \"${a/b\": syntax error: missing '/' in ${}",
        message("${a/b"));
    assertEquals("failed to process \"${a.b}\": unsupported modifier (.) in substitution",
        message("${a.b}"));
    assertEquals("failed to process \"${a:#b}\": unsupported modifier (:#) in substitution",
        message("${a:#b}"));
  }

  @Test
  void deepNestingNeedsNoJavaStack() throws HeredocLexer.LexException {
    String deep = "${a:-".repeat(200_000) + "x" + "}".repeat(200_000);
    assertEquals(1, words(deep).size());
    assertThrows(HeredocLexer.LexException.class, () -> words("${a:-".repeat(200_000)));
  }

  private static String message(String input) {
    return assertThrows(HeredocLexer.LexException.class, () -> words(input)).getMessage();
  }
}
