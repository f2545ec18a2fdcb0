package io.zlayer.domain.dockerfile.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go regexp semantics (regexp/syntax with Perl flags) for the subset ignore patterns reach. */
class GoRegexpTest {

  private static boolean matches(String re, String text) throws Exception {
    return GoRegexp.compile(re).matches(text);
  }

  @ParameterizedTest(name = "{0} ~ {1}")
  @CsvSource(delimiterString = " => ", value = {
      "^abc$ => abc => true",
      "^abc$ => abcd => false",
      "abc => xabcx => true",
      "^a.c$ => a/c => true",
      "^a.c$ => a\\nc => false",
      "^a[^/]c$ => a\\nc => true",
      "^a[^/]c$ => a/c => false",
      "^(.*/)?b$ => b => true",
      "^(.*/)?b$ => a/b => true",
      "^(.*/)?b$ => a/cb => false",
      "^(.*/)?(.*/)?[^/]*\\.txt$ => a/b/c.txt => true",
      "^a|b$ => xb => true",
      "^a|b$ => ax => true",
      "^(a|b)$ => ax => false",
      "^a+$ => aaa => true",
      "^a+$ => EMPTY => false",
      "^a*?b$ => aab => true",
      "^[[:alpha:]]+$ => abcXYZ => true",
      "^[[:alpha:]]+$ => ab1 => false",
      "^[[:^digit:]]$ => a => true",
      "^[[:^digit:]]$ => 1 => false",
      "^[[:punct:]]$ => ~ => true",
      "^[[:xdigit:]]+$ => 09afAF => true",
      "^\\d\\s\\w$ => 1 _ => true",
      "^\\D\\S\\W$ => a_. => true",
      "^\\D\\S\\W$ => 1_. => false",
      "^[\\d-]+$ => 1-2 => true",
      "^[a-]$ => - => true",
      "^[]a]$ => ] => true",
      "^[^]a]$ => b => true",
      "^[[a]$ => [ => true",
      "^[\\]]$ => ] => true",
      "^\\x41\\x{42}\\103\\0$ => ABC\\0 => true",
      "^\\Q.*\\E$ => .* => true",
      "^\\Q.*\\E$ => ab => false",
      "^\\Qab\\E*$ => abbb => true",
      "^\\Qab\\E*$ => abab => false",
      "\\bfoo\\b => a foo b => true",
      "\\bfoo\\b => afoo => false",
      "\\Bfoo => afoo => true",
      "\\Afoo\\z => foo => true",
      "^\\pL+$ => héllo => true",
      "^\\p{Greek}+$ => αβγ => true",
      "^\\P{Greek}$ => a => true",
      "^\\p{^Greek}$ => α => false",
      "^[\\p{Lu}0-9]+$ => AB12 => true",
      "^a^b$ => a^b => false",
      "^a\\^b$ => a^b => true",
      "^[a-ζ]$ => α => true",
      "^☺$ => ☺ => true",
      "^.$ => \uD83D\uDE00 => true",
  })
  void goSemantics(String re, String text, boolean expected) throws Exception {
    String input = text.equals("EMPTY") ? "" : text.replace("\\n", "\n").replace("\\0", "\0");
    assertEquals(expected, matches(re, input));
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "a** => invalid nested repetition operator: `**`",
      "a*?+ => invalid nested repetition operator: `*?+`",
      "*a => missing argument to repetition operator: `*`",
      "(ab => missing closing ): `(ab`",
      "ab) => unexpected ): `ab)`",
      "[a => missing closing ]: `[a`",
      "[z-a] => invalid character class range: `z-a`",
      "[[:word:][:foo:]] => invalid character class range: `[:foo:]`",
      "\\q => invalid escape sequence: `\\q`",
      "\\1 => invalid escape sequence: `\\1`",
      "\\x4 => invalid escape sequence: `\\x4`",
      "\\x{} => invalid escape sequence: `\\x{}`",
      "\\C => invalid escape sequence: `\\C`",
      "\\pQ => invalid character class range: `\\pQ`",
      "\\p{Nope} => invalid character class range: `\\p{Nope}`",
      "a\\ => trailing backslash at end of expression",
      "(?i)a => unsupported group syntax: `(?i)a`",
  })
  void syntaxErrors(String re, String message) {
    GoRegexp.SyntaxException e = assertThrows(GoRegexp.SyntaxException.class,
        () -> GoRegexp.compile(re));
    assertEquals(message, e.getMessage());
  }

  @Test
  void matchingIsLinear() throws Exception {
    // catastrophic for a backtracking engine: (.*/)? repeated against a path that almost matches
    GoRegexp re = GoRegexp.compile("^" + "(.*/)?".repeat(12) + "[^/]*\\.txt$");
    String path = "a/".repeat(2000) + "file.txv";
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(re.matches(path)));
    assertTrue(re.matches("a/".repeat(2000) + "file.txt"));
  }

  @Test
  void emptyLoopsTerminate() throws Exception {
    assertTrue(matches("^(a*)*$", "aaa"));
    assertTrue(matches("^(^)*$", ""));
    assertFalse(matches("^(a*)*$", "b"));
  }
}
