package io.zlayer.domain.dockerfile.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellLexerTest {
  private static final ShellLexer LEXER = new ShellLexer('\\');

  private static VariableLookup env(String... entries) {
    return VariableLookup.ofEntries(List.of(entries));
  }

  private static String expand(String word, String... entries) throws DockerfileException {
    return LEXER.processWord(word, env(entries));
  }

  private static void assertFails(String expectedMessage, String word, String... entries) {
    DockerfileException e =
        assertThrows(DockerfileException.class, () -> LEXER.processWord(word, env(entries)));
    assertEquals(expectedMessage, e.getMessage());
    assertEquals(expectedMessage, e.detail());
    assertEquals(0, e.line());
  }

  @Nested
  class Operators {
    // V is set, E is set and empty, U is unset.
    private final String[] vars = {"V=val", "E="};

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '~', emptyValue = "", value = {
        "$V|val", "${V}|val", "$E|~~", "$U|~~", "${U}|~~",
        "${V:-w}|val", "${E:-w}|w", "${U:-w}|w",
        "${V-w}|val", "${E-w}|~~", "${U-w}|w",
        "${V:+w}|w", "${E:+w}|~~", "${U:+w}|~~",
        "${V+w}|w", "${E+w}|w", "${U+w}|~~",
        "${V:?m}|val", "${V?m}|val", "${E?m}|~~",
        "${U:-${V:-x}}|val", "${U:-${U:-${U:-deep}}}|deep", "${V:+[${V}]}|[val]",
        "${U:-a b}|a b", "${U:-'q}'}|q}", "${U:-\"${V}\"}|val", "${U:-\\}}|}",
    })
    void expandsSetEmptyAndUnset(String word, String expected) throws DockerfileException {
      assertEquals(expected, expand(word, vars));
    }

    @Test
    void requiredVariablesReportBuildKitsMessages() {
      assertFails("failed to process \"${U?}\": U: is not allowed to be unset", "${U?}");
      assertFails("failed to process \"${U:?}\": U: is not allowed to be unset", "${U:?}");
      assertFails("failed to process \"${E:?}\": E: is not allowed to be empty", "${E:?}", vars);
      assertFails("failed to process \"${U?need U}\": U: need U", "${U?need U}");
      assertFails("failed to process \"${E:?no $V}\": E: no val", "${E:?no $V}", vars);
    }

    /** BuildKit's TestShellParserMandatoryEnvVars. */
    @Test
    void mandatoryVariablesAsBuildKitTestsThem() throws DockerfileException {
      String noEmpty = "${VAR:?message here$ARG}";
      String noUnset = "${VAR?message here$ARG}";
      String[] setEnvs = {"VAR=plain", "ARG=x"};
      String[] emptyEnvs = {"VAR=", "ARG=x"};
      String[] unsetEnvs = {"ARG=x"};

      assertEquals("plain", expand(noEmpty, setEnvs));
      assertTrue(assertThrows(DockerfileException.class, () -> expand(noEmpty, emptyEnvs))
          .getMessage().contains("message herex"));
      assertTrue(assertThrows(DockerfileException.class, () -> expand(noEmpty, unsetEnvs))
          .getMessage().contains("message herex"));

      assertEquals("plain", expand(noUnset, setEnvs));
      assertEquals("", expand(noUnset, emptyEnvs));
      assertTrue(assertThrows(DockerfileException.class, () -> expand(noUnset, unsetEnvs))
          .getMessage().contains("message herex"));
    }

    @ParameterizedTest(name = "{0} with V={1} -> [{2}]")
    @CsvSource(delimiter = '|', quoteCharacter = '~', emptyValue = "", value = {
        "${V#a}|aXbXa|XbXa", "${V#*X}|aXbXa|bXa", "${V##*X}|aXbXa|a", "${V#b}|aXbXa|aXbXa",
        "${V%a}|aXbXa|aXbX", "${V%X*}|aXbXa|aXb", "${V%%X*}|aXbXa|a", "${V%b}|aXbXa|aXbXa",
        "${V#?}|abc|bc", "${V%??}|abc|a", "${V#}|abc|abc", "${V##}|abc|abc", "${V%%}|abc|abc",
        "${V:#a}|aab|ab", "${V:%b}|abb|ab", "${V#\\*}|*x|x", "${V%\\?}|x?|x",
        "${V##*/}|/usr/local/bin|bin", "${V%/*}|/usr/local/bin|/usr/local",
        "${V%%.*}|archive.tar.gz|archive", "${V#*.}|archive.tar.gz|tar.gz",
        "${V/o/0}|foo boo|f0o boo", "${V//o/0}|foo boo|f00 b00", "${V/#/x}|a#b|axb",
        "${V//\\//:}|/a/b|:a:b", "${V/b*/}|abcb|a", "${V//?/x}|abc|xxx", "${V/./!}|a.b|a!b",
        "${V//[/(}|a[b[|a(b(", "${V/ä/ae}|läx|laex", "${V//}|ab|<error>",
    })
    void trimsAndReplacesPatterns(String word, String value, String expected) {
      VariableLookup lookup = VariableLookup.of(Map.of("V", value));
      if (expected.equals("<error>")) {
        assertThrows(DockerfileException.class, () -> LEXER.processWord(word, lookup));
      } else {
        assertEquals(expected, assertDoesNotThrow(word, lookup));
      }
    }

    @Test
    void doubledOperatorCanComeFromAVariable() throws DockerfileException {
      // BuildKit decides greediness on the expanded operand.
      assertEquals("aab", expand("${V#$P}", "V=aaab", "P=#a"));
      assertEquals("aaab", expand("${V#$P}", "V=aaab", "P=b"));
    }

    @Test
    void wildcardsDoNotMatchNewlines() throws DockerfileException {
      assertEquals("a\nb|\nb|a\nb|a\n", expand("${V#*}|${V##*}|${V%*}|${V%%*}", "V=a\nb"));
      assertEquals("x\nx", expand("${V//?/x}", "V=a\nb"));
    }

    @Test
    void replacementExpandsGoTemplatesLikeReplaceAllString() throws DockerfileException {
      // ${V//...} hands the replacement to Go's ReplaceAllString: $0 is the match, $$ a dollar,
      // other names are empty. Quoted so that the lexer itself leaves the $ alone.
      String word = "${V//o/'$$'} ${V//o/'$x'} ${V//o/'${0}'} ${V//o/'$'} ${V//o/'$0x'} "
          + "${V//o/'${0'}";
      assertEquals("f$$ f foo f$$ f f${0${0", expand(word, "V=foo"));
      assertEquals("xf<o><o>", expand("x${V//o/<'$0'>}", "V=foo"));
      // A single replacement is literal.
      assertEquals("f$0o", expand("${V/o/'$0'}", "V=foo"));
      // Unquoted, $0 is a special parameter that the lexer expands first.
      assertEquals("f[][]", expand("${V//o/[$0]}", "V=foo"));
    }

    @Test
    void emptyMatchesAreReplacedAsGoDoes() throws DockerfileException {
      assertEquals("-a-b-", expand("${V//$P/-}", "V=ab", "P="));
      assertEquals("-ab", expand("${V/$P/-}", "V=ab", "P="));
      assertEquals("-\nb", expand("${V//a*/-}", "V=a\nb"));
    }

    @Test
    void manyStarsDoNotBacktrackExponentially() throws DockerfileException {
      String value = "a".repeat(5000);
      String pattern = "*a".repeat(40) + "b";
      assertEquals(value, expand("${V#" + pattern + "}", "V=" + value));
      assertEquals(value, expand("${V//" + pattern + "/x}", "V=" + value));
    }
  }

  private static String assertDoesNotThrow(String word, VariableLookup lookup) {
    try {
      return LEXER.processWord(word, lookup);
    } catch (DockerfileException e) {
      throw new AssertionError("unexpected failure: " + e.getMessage(), e);
    }
  }

  /** BuildKit's TestProcessWithMatches table. */
  @TestFactory
  Stream<DynamicTest> processWithMatchesAsBuildKit() {
    record Case(String input, Map<String, String> envs, String expected, boolean error,
        Set<String> matches, Set<String> unmatched) {}
    Map<String, String> fooBar = Map.of("FOO", "xxx", "BAR", "");
    List<Case> cases = List.of(
        new Case("x", Map.of("DUMMY", "dummy"), "x", false, Set.of(), Set.of()),
        new Case("x ${UNUSED}", Map.of("DUMMY", "dummy"), "x ", false, Set.of(),
            Set.of("UNUSED")),
        new Case("x ${FOO}", Map.of("FOO", "y"), "x y", false, Set.of("FOO"), Set.of()),
        new Case("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", fooBar, "xxx  ccc", false,
            Set.of("FOO", "BAR"), Set.of("BAZ")),
        new Case("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", fooBar, "xxx bbb ccc", false,
            Set.of("FOO", "BAR"), Set.of("BAZ")),
        new Case("${FOO:-}", fooBar, "xxx", false, Set.of("FOO"), Set.of()),
        new Case("${FOO:-}", Map.of(), "", false, Set.of(), Set.of("FOO")),
        new Case("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", fooBar, "aaa bbb ", false,
            Set.of("FOO", "BAR"), Set.of("BAZ")),
        new Case("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", fooBar, "aaa  ", false,
            Set.of("FOO", "BAR"), Set.of("BAZ")),
        new Case("${FOO?aaa}", fooBar, "xxx", false, Set.of("FOO"), Set.of()),
        new Case("${BAR?bbb}", fooBar, "", false, Set.of("BAR"), Set.of()),
        new Case("${BAZ?ccc}", fooBar, null, true, null, null),
        new Case("${FOO:?aaa}", fooBar, "xxx", false, Set.of("FOO"), Set.of()),
        new Case("${BAR:?bbb}", fooBar, null, true, null, null),
        new Case("${BAZ:?ccc}", fooBar, null, true, null, null),
        new Case("${BAZ:?}", fooBar, null, true, null, null),
        new Case("${FOO=aaa}", fooBar, null, true, null, null),
        new Case("${FOO=:aaa}", fooBar, null, true, null, null),
        new Case("${FOO=}", Map.of(), null, true, null, null),
        new Case("${FOO#()[]{\\}^$.\\*\\?|\\\\}", Map.of("FOO", "()[]{}^$.*?|\\x"), "x", false,
            Set.of("FOO"), Set.of()),
        new Case("${FOO%%\\**}", Map.of("FOO", "xx**"), "xx", false, Set.of("FOO"), Set.of()),
        new Case("${FOO#*x*y}", Map.of("FOO", "xxyy"), "y", false, Set.of("FOO"), Set.of()),
        new Case("${FOO#*}", Map.of("FOO", "xxyy"), "xxyy", false, Set.of("FOO"), Set.of()),
        new Case("${FOO#$BAR}", Map.of("FOO", "xxyy", "BAR", "x"), "xyy", false,
            Set.of("FOO", "BAR"), Set.of()),
        new Case("${FOO#$BAR}", Map.of("FOO", "xxyy", "BAR", ""), "xxyy", false,
            Set.of("FOO", "BAR"), Set.of()),
        new Case("${FOO#}", Map.of("FOO", "xxyy"), "xxyy", false, Set.of("FOO"), Set.of()),
        new Case("${FOO##*x}", Map.of("FOO", "xxyy"), "yy", false, Set.of("FOO"), Set.of()),
        new Case("${FOO##}", Map.of("FOO", "xxyy"), "xxyy", false, Set.of("FOO"), Set.of()),
        new Case("${FOO#?\\?}", Map.of("FOO", "???y"), "?y", false, Set.of("FOO"), Set.of()),
        new Case("${ABC:-.}${FOO%x}${ABC:-.}", Map.of("FOO", "xxyy"), ".xxyy.", false,
            Set.of("FOO"), Set.of("ABC")),
        new Case("${FOO%%\\**\\*}", Map.of("FOO", "a***yy*"), "a", false, Set.of("FOO"),
            Set.of()),
        new Case("${FOO%}", Map.of("FOO", "xxyy"), "xxyy", false, Set.of("FOO"), Set.of()),
        new Case("${FOO%%$BAR}", Map.of("FOO", "xxyy", "BAR", ""), "xxyy", false,
            Set.of("FOO", "BAR"), Set.of()),
        new Case("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
            Map.of("FOO", "/foo*/*/*.txt", "NEEDLE", "\\*/"), "/foo.*/*.txt - /foo..*.txt", false,
            Set.of("FOO", "NEEDLE"), Set.of()),
        new Case("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
            Map.of("FOO", "/tmp/tmp/bar.txt", "NEEDLE", "/tmp"), "/tmp/bar.txt - /bar.txt", false,
            Set.of("FOO", "NEEDLE"), Set.of()),
        new Case("${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
            Map.of("FOO", "/a/foo/b/c.txt", "NEEDLE", "/?/", "REPLACEMENT", "/"),
            "/foo/b/c.txt - /foo/c.txt", false, Set.of("FOO", "NEEDLE", "REPLACEMENT"),
            Set.of()),
        new Case("${FOO/$NEEDLE/$REPLACEMENT}",
            Map.of("FOO", "http://google.de", "NEEDLE", "http://", "REPLACEMENT", "https://"),
            "https://google.de", false, Set.of("FOO", "NEEDLE", "REPLACEMENT"), Set.of()),
        new Case("${FOO//\\//\\/}", Map.of("FOO", "/tmp/foo.txt"), "\\/tmp\\/foo.txt", false,
            Set.of("FOO"), Set.of()),
        new Case("${FOO/$BAR/ww}", Map.of("FOO", "xxyy", "BAR", ""), "wwxxyy", false,
            Set.of("FOO", "BAR"), Set.of()),
        new Case("${FOO//ww}", Map.of("FOO", "xxyy"), null, true, null, null),
        new Case("${FOO//}", Map.of("FOO", "xxyy"), null, true, null, null),
        new Case("${FOO///}", Map.of("FOO", "xxyy"), "xxyy", false, Set.of("FOO"), Set.of()),
        new Case("${FOO///}", Map.of(), "", false, Set.of(), Set.of("FOO")));
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.input(), () -> {
      VariableLookup lookup = VariableLookup.of(c.envs());
      if (c.error()) {
        assertThrows(DockerfileException.class, () -> LEXER.processWordWithMatches(c.input(),
            lookup));
        return;
      }
      Expansion expansion = LEXER.processWordWithMatches(c.input(), lookup);
      assertEquals(c.expected(), expansion.result());
      assertEquals(c.matches(), expansion.matched(), "matched");
      assertEquals(c.unmatched(), expansion.unmatched(), "unmatched");
    }));
  }

  /** BuildKit's TestProcessWithMatchesPlatform. */
  @Test
  void releaseFileNameWithOptionalVariant() throws DockerfileException {
    String release =
        "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    Map<String, String> vars = new HashMap<>(Map.of("VERSION", "v1.2.3", "TARGETOS", "linux",
        "TARGETARCH", "arm", "TARGETVARIANT", "v7"));
    assertEquals("something-v1.2.3.linux-arm-v7.tar.gz",
        LEXER.processWordWithMatches(release, VariableLookup.of(vars)).result());
    vars.put("TARGETARCH", "arm64");
    vars.put("TARGETVARIANT", "");
    assertEquals("something-v1.2.3.linux-arm64.tar.gz",
        LEXER.processWordWithMatches(release, VariableLookup.of(vars)).result());
    vars.remove("TARGETVARIANT");
    Expansion expansion = LEXER.processWordWithMatches(release, VariableLookup.of(vars));
    assertEquals("something-v1.2.3.linux-arm64.tar.gz", expansion.result());
    assertEquals(List.of("VERSION", "TARGETOS", "TARGETARCH"), List.copyOf(expansion.matched()));
    assertEquals(Set.of("TARGETVARIANT"), expansion.unmatched());
  }

  @Test
  void matchesKeepFirstReferenceOrderAndCountDefaultsOnlyWhenEvaluated()
      throws DockerfileException {
    Expansion expansion = LEXER.processWordWithMatches(
        "$B ${A:-$C} \"$B\" '$NOT' ${D/$E/x}", env("A=a", "B=b", "E="));
    // D is unset, so the empty pattern matches at the start of the empty value.
    assertEquals("b a b $NOT x", expansion.result());
    // Operands are expanded before the variable is looked up, so C counts although A is set.
    assertEquals(List.of("B", "A", "E"), List.copyOf(expansion.matched()));
    assertEquals(List.of("C", "D"), List.copyOf(expansion.unmatched()));
  }

  @Nested
  class Quoting {
    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '~', emptyValue = "", value = {
        "'$V'|$V", "\"$V\"|v", "\"'$V'\"|'v'", "'\"$V\"'|\"$V\"", "a'b'\"c\"d|abcd",
        "'a\\b'|a\\b", "\"a\\b\"|a\\b", "\"a\\\\b\"|a\\b", "\"a\\\"b\"|a\"b", "\"a\\$V\"|a$V",
        "a\\$V|a$V", "a\\\\$V|a\\v", "a\\b|ab", "a\\|a", "a\\\\|a\\", "$|$", "a$|a$", "$.|$.",
        "$ V|$ V", "\"$\"|$", "\"a$\"|a$",
    })
    void quotesAndEscapes(String word, String expected) throws DockerfileException {
      assertEquals(expected, expand(word, "V=v"));
    }

    @Test
    void backtickEscapeToken() throws DockerfileException {
      ShellLexer windows = new ShellLexer('`');
      assertEquals('`', windows.escapeToken());
      VariableLookup lookup = env("PWD=/home");
      assertEquals("he$PWD a\"b a\\b $PWD `x c:\\dir\\/home",
          windows.processWord("he`$PWD \"a`\"b\" a\\b \"`$PWD\" \"`x\" c:\\dir\\$PWD", lookup));
      assertEquals(List.of("a b", "c"), windows.processWords("a` b c", lookup));
      assertEquals("a", windows.processWord("a`", lookup));
    }

    @Test
    void rejectsOtherEscapeTokens() {
      assertThrows(IllegalArgumentException.class, () -> new ShellLexer('^'));
    }

    @Test
    void leadingByteOrderMarkIsDroppedAsGosScannerDoes() throws DockerfileException {
      assertEquals("v", expand("\uFEFF$V", "V=v"));
      assertEquals("v\uFEFF", expand("$V\uFEFF", "V=v"));
    }
  }

  @Nested
  class Words {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', emptyValue = "", value = {
        "a b|a,b", "  a   b  |a,b", "$S|x,y", "\"$S\"|~x  y ~", "a$S|ax,y", "'a b' c|a b,c",
        "a\\ b|a b", "\"\" a|a", "a \"\"|a", "x\"\"y|xy", "$E a|a",
    })
    void splitsOnUnquotedWhitespace(String word, String expected) throws DockerfileException {
      List<String> words = LEXER.processWords(word, env("S=x  y ", "E="));
      assertEquals(List.of(expected.split(",", -1)), words);
    }

    @Test
    void emptyQuotedStringsMakeNoWord() throws DockerfileException {
      // BuildKit only ends a word that has characters, so "" on its own disappears.
      assertEquals(List.of(), LEXER.processWords("\"\"", VariableLookup.empty()));
      assertEquals(List.of(), LEXER.processWords("'' \"\"", VariableLookup.empty()));
      assertEquals(List.of(), LEXER.processWords("", VariableLookup.empty()));
    }

    @Test
    void splitsOnGoWhitespaceIncludingNoBreakSpace() throws DockerfileException {
      assertEquals(List.of("a", "b", "c", "d"),
          LEXER.processWords("a\u00a0b$S", env("S=\u00a0c\u3000d")));
    }
  }

  @Nested
  class Options {
    @Test
    void rawQuotesKeepsQuoteCharacters() throws DockerfileException {
      ShellLexer lexer = LEXER.withRawQuotes(true);
      assertTrue(lexer.rawQuotes());
      assertEquals("'a'\"b v\"c", lexer.processWord("'a'\"b $V\"c", env("V=v")));
    }

    @Test
    void rawEscapesKeepsEscapeTokens() throws DockerfileException {
      ShellLexer lexer = LEXER.withRawEscapes(true);
      assertEquals("a\\ b \\$x y", lexer.processWord("a\\ b \"\\$x\" ${V#\\*}", env("V=*y")));
      assertEquals(List.of("a\\ b", "\\$x", "y"),
          lexer.processWords("a\\ b \"\\$x\" ${V#\\*}", env("V=*y")));
    }

    @Test
    void skipUnsetEnvLeavesUnsetReferencesAsWritten() throws DockerfileException {
      ShellLexer lexer = LEXER.withSkipUnsetEnv(true);
      // BuildKit rebuilds ${U//a/b} with a single slash.
      assertEquals("$U ${U} ${U:-x} ${U/a/b} ${U/a/b} set set",
          lexer.processWord("$U ${U} ${U:-x} ${U/a/b} ${U//a/b} $A ${A:-x}", env("A=set")));
    }

    @Test
    void skipProcessQuotesTreatsQuotesAsText() throws DockerfileException {
      ShellLexer lexer = LEXER.withSkipProcessQuotes(true);
      assertEquals("'v' \"v\"", lexer.processWord("'$A' \"$A\"", env("A=v")));
      assertEquals(List.of("'a", "b'"), lexer.processWords("'a b'", env()));
    }

    @Test
    void withersLeaveTheOriginalUnchanged() {
      ShellLexer changed = LEXER.withRawEscapes(true).withSkipUnsetEnv(true);
      assertTrue(changed.rawEscapes() && changed.skipUnsetEnv());
      assertTrue(!LEXER.rawEscapes() && !LEXER.skipUnsetEnv() && !LEXER.skipProcessQuotes());
    }
  }

  @Test
  void specialAndPositionalParametersAreLookedUpByName() throws DockerfileException {
    assertEquals("one at onex at@@ aaa", expand("${1} $@ $1x $@@@ $999aaa", "1=one", "@=at"));
    Expansion expansion = LEXER.processWordWithMatches("$# ${?:-q} $001", env());
    assertEquals(" q ", expansion.result());
    assertEquals(Set.of("#", "?", "001"), expansion.unmatched());
  }

  @Nested
  class Errors {
    @Test
    void syntaxErrors() {
      assertFails("failed to process \"${}\": syntax error: bad substitution", "${}");
      assertFails("failed to process \"a${:-x}\": syntax error: bad substitution", "a${:-x}");
      assertFails("failed to process \"${{a}\": syntax error: bad substitution", "${{a}");
      assertFails("failed to process \"${\": syntax error: missing '}'", "${");
      assertFails("failed to process \"${a:-b\": syntax error: missing '}'", "${a:-b");
      assertFails("failed to process \"${a:-${b:-${\": syntax error: missing '}'",
          "${a:-${b:-${");
      assertFails("failed to process \"${a/${b:-x\": syntax error: missing '/' in ${}",
          "${a/${b:-x");
      assertFails("failed to process \"${a/x/${b\": syntax error: missing '}'", "${a/x/${b");
      assertFails("failed to process \"${a:-${}}\": syntax error: bad substitution",
          "${a:-${}}");
    }

    @Test
    void unsupportedModifiers() {
      assertFails("failed to process \"${V:=x}\": unsupported modifier (:=) in substitution",
          "${V:=x}");
      assertFails("failed to process \"${V=x}\": unsupported modifier (=) in substitution",
          "${V=x}");
      assertFails("failed to process \"${V:}x}\": unsupported modifier (:}) in substitution",
          "${V:}x}");
      assertFails("failed to process \"he${.}\": unsupported modifier (.) in substitution",
          "he${.}");
      // A name running into the end of the word reads EOF, which Go prints as U+FFFD.
      assertFails("failed to process \"he${PWD\": unsupported modifier (\uFFFD) in substitution",
          "he${PWD");
    }

    @Test
    void unterminatedQuotes() {
      assertFails("failed to process \"'a\": unexpected end of statement while looking for "
          + "matching single-quote", "'a");
      assertFails("failed to process \"\\\"a\\\\\": unexpected end of statement while looking "
          + "for matching double-quote", "\"a\\");
    }

    @Test
    void invalidPatterns() {
      assertFails("failed to process \"${V#\\\\x}\": invalid pattern (\\x) in substitution: "
          + "invalid escape '\\x'", "${V#\\x}", "V=a");
      // % works on the reversed pattern, and BuildKit reports that one.
      assertFails("failed to process \"${V%ab\\\\x}\": invalid pattern (\\xba) in substitution: "
          + "invalid escape '\\x'", "${V%ab\\x}", "V=a");
      assertFails("failed to process \"${V/\\\\x/y}\": invalid pattern (\\x) in substitution: "
          + "invalid escape '\\x'", "${V/\\x/y}", "V=a");
    }

    @Test
    void wordIsQuotedAsGoQuotesIt() {
      // DockerfileException escapes control characters, so the message stays on one line.
      assertFails("failed to process \"${V:?bad\\nthing\\u00a0}\": V: bad\\nthing\u00a0",
          "${V:?bad\nthing\u00a0}");
      assertFails("failed to process \"\\x00\\x7f\\t\ud83d\ude00\u00e9\\u0085${\": syntax error: "
          + "missing '}'", "\u0000\u007f\t\ud83d\ude00\u00e9\u0085${");
    }

    @Test
    void errorCanBeAttributedToALine() {
      DockerfileException e =
          assertThrows(DockerfileException.class, () -> expand("${U?}")).atLine(7);
      assertEquals("line 7: failed to process \"${U?}\": U: is not allowed to be unset",
          e.getMessage());
    }
  }

  @Test
  void deepNestingNeedsNoDeepJavaStack() throws DockerfileException {
    int depth = 200_000;
    String nested = "${U:-\"".repeat(depth) + "x" + "\"}".repeat(depth);
    assertEquals("x", expand(nested));
    assertFails("failed to process " + GoText.quote("${U:-" + "${U:-".repeat(depth))
        + ": syntax error: missing '}'", "${U:-" + "${U:-".repeat(depth));
  }

  @Nested
  class Lookups {
    /** BuildKit's TestGetEnv, through ofEntries. */
    @Test
    void entriesFollowBuildEnvs() {
      assertEquals(Optional.empty(), VariableLookup.ofEntries(List.of()).lookup("foo"));
      assertEquals(Optional.of(""), VariableLookup.ofEntries(List.of("foo")).lookup("foo"));
      assertEquals(Optional.of(""), VariableLookup.ofEntries(List.of("foo=")).lookup("foo"));
      assertEquals(Optional.of("bar"), VariableLookup.ofEntries(List.of("foo=bar")).lookup("foo"));
      VariableLookup two = VariableLookup.ofEntries(List.of("foo=bar", "car=hat", "car=bike"));
      assertEquals(Optional.of("bar"), two.lookup("foo"));
      assertEquals(Optional.of("bike"), two.lookup("car"));
      assertEquals(Optional.of("b=c"), VariableLookup.ofEntries(List.of("a=b=c")).lookup("a"));
    }

    @Test
    void namesAreCaseSensitive() throws DockerfileException {
      assertEquals("x|", expand("$foo|$FOO", "foo=x"));
      assertEquals(Optional.empty(), VariableLookup.of(Map.of("foo", "x")).lookup("Foo"));
    }
  }

  @Nested
  class Patterns {
    /** BuildKit's TestConvertShellPatternToRegex. */
    @Test
    void convertsToTheSameRegexAsBuildKit() throws ShellPattern.InvalidPatternException {
      assertEquals("^.*", ShellPattern.compile("*", true, true).regex());
      assertEquals("^.", ShellPattern.compile("?", true, true).regex());
      assertEquals("^\\*", ShellPattern.compile("\\*", true, true).regex());
      assertEquals("^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\",
          ShellPattern.compile("(()[]{\\}^$.\\*\\?|\\\\", true, true).regex());
      assertEquals("a.*?b", ShellPattern.compile("a*b", false, false).regex());
      for (String invalid : List.of("\\", "\\x", "\\\\\\")) {
        assertThrows(ShellPattern.InvalidPatternException.class,
            () -> ShellPattern.compile(invalid, true, true), invalid);
      }
    }

    @Test
    void invalidEscapeAtEndNamesUnicodeReplacementCharacter() {
      ShellPattern.InvalidPatternException e = assertThrows(
          ShellPattern.InvalidPatternException.class, () -> ShellPattern.compile("a\\", true, true));
      assertEquals("invalid escape '\\\uFFFD'", e.getMessage());
    }

    /** BuildKit's TestReverseString. */
    @Test
    void reversesByCodePoint() {
      assertEquals("12345", ShellLexer.reverse("54321"));
      assertEquals("👽🚀🖖", ShellLexer.reverse("🖖🚀👽"));
    }

    /** BuildKit's TestReversePattern. */
    @Test
    void reversesPatternsKeepingEscapes() {
      assertEquals("c\\*a", ShellLexer.reversePattern("a\\*c"));
      assertEquals("b\\a\\\\", ShellLexer.reversePattern("\\\\\\ab"));
      assertEquals("\\ba", ShellLexer.reversePattern("ab\\"));
      assertEquals("🖖\\🚀👽", ShellLexer.reversePattern("👽\\🚀🖖"));
      assertEquals("b\\\\", ShellLexer.reversePattern("\\\\b"));
    }
  }
}
