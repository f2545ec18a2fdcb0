package io.zlayer.domain.dockerfile.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** moby/patternmatcher's patternmatcher_test.go: TestMatches, TestMatch and TestCompile. */
class IgnorePatternTest {

  private static IgnorePattern compile(String pattern) throws Exception {
    return DockerIgnore.of(List.of(pattern)).patterns().get(0);
  }

  // TestMatches: pattern, text, and fail / exact / inexact (matches only through a parent)
  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource(delimiterString = " => ", value = {
      "** => file => exact",
      "** => file/ => exact",
      "**/ => file => exact",
      "**/ => file/ => exact",
      "** => / => exact",
      "**/ => / => exact",
      "** => dir/file => exact",
      "**/ => dir/file => exact",
      "** => dir/file/ => exact",
      "**/ => dir/file/ => exact",
      "**/** => dir/file => exact",
      "**/** => dir/file/ => exact",
      "dir/** => dir/file => exact",
      "dir/** => dir/file/ => exact",
      "dir/** => dir/dir2/file => exact",
      "dir/** => dir/dir2/file/ => exact",
      "**/dir => dir => exact",
      "**/dir => dir/file => inexact",
      "**/dir2/* => dir/dir2/file => exact",
      "**/dir2/* => dir/dir2/file/ => inexact",
      "**/dir2/** => dir/dir2/dir3/file => exact",
      "**/dir2/** => dir/dir2/dir3/file/ => exact",
      "**file => file => exact",
      "**file => dir/file => exact",
      "**/file => dir/file => exact",
      "**file => dir/dir/file => exact",
      "**/file => dir/dir/file => exact",
      "**/file* => dir/dir/file => exact",
      "**/file* => dir/dir/file.txt => exact",
      "**/file*txt => dir/dir/file.txt => exact",
      "**/file*.txt => dir/dir/file.txt => exact",
      "**/file*.txt* => dir/dir/file.txt => exact",
      "**/**/*.txt => dir/dir/file.txt => exact",
      "**/**/*.txt2 => dir/dir/file.txt => fail",
      "**/*.txt => file.txt => exact",
      "**/**/*.txt => file.txt => exact",
      "a**/*.txt => a/file.txt => exact",
      "a**/*.txt => a/dir/file.txt => exact",
      "a**/*.txt => a/dir/dir/file.txt => exact",
      "a/*.txt => a/dir/file.txt => fail",
      "a/*.txt => a/file.txt => exact",
      "a/*.txt** => a/file.txt => exact",
      "a[b-d]e => ae => fail",
      "a[b-d]e => ace => exact",
      "a[b-d]e => aae => fail",
      "a[^b-d]e => aze => exact",
      ".* => .foo => exact",
      ".* => foo => fail",
      "abc.def => abcdef => fail",
      "abc.def => abc.def => exact",
      "abc.def => abcZdef => fail",
      "abc?def => abcZdef => exact",
      "abc?def => abcdef => fail",
      "**/foo/bar => foo/bar => exact",
      "**/foo/bar => dir/foo/bar => exact",
      "**/foo/bar => dir/dir2/foo/bar => exact",
      "abc/** => abc => fail",
      "abc/** => abc/def => exact",
      "abc/** => abc/def/ghi => exact",
      "**/.foo => .foo => exact",
      "**/.foo => bar.foo => fail",
      "a(b)c/def => a(b)c/def => exact",
      "a(b)c/def => a(b)c/xyz => fail",
      "a.|)$(}+{bc => a.|)$(}+{bc => exact",
      "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"
          + " => dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl => exact",
      "dist/*.whl => dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl => exact",
      "a\\\\ => a\\ => exact",
      "a\\*b => a*b => exact",
  })
  void matchesTable(String pattern, String text, String expectation) throws Exception {
    IgnorePattern compiled = compile(pattern);
    DockerIgnore ignore = DockerIgnore.of(List.of(pattern));
    assertEquals(expectation.equals("exact"), compiled.matches(text), "MatchesExact");
    assertEquals(!expectation.equals("fail"), ignore.matches(text), "MatchesOrParentMatches");
    assertEquals(!expectation.equals("fail"), DockerIgnoreTest.walkTo(ignore, text).excluded(),
        "MatchesUsingParentResults along a walk");
    assertEquals(!expectation.equals("fail"),
        ignore.decide(ignore.root(), text, false).excluded(),
        "MatchesUsingParentResults without parent information");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "**|util/docker/web/foo|fail|**,!util/docker/web",
      "**|util/docker/web/foo|exact|**,!util/docker/web,util/docker/web/foo",
      "**|dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl|fail"
          + "|**,!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
      "**|dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl|fail|**,!dist/*.whl",
  })
  void multiPatternTable(String unused, String text, String expectation, String patterns)
      throws Exception {
    DockerIgnore ignore = DockerIgnore.of(List.of(patterns.split(",")));
    assertEquals(!expectation.equals("fail"), ignore.matches(text));
    assertEquals(!expectation.equals("fail"), DockerIgnoreTest.walkTo(ignore, text).excluded());
  }

  // TestMatch: Go's filepath.Match cases through Matches(file, []string{pattern})
  @ParameterizedTest(name = "{0} ~ {1}")
  @CsvSource(delimiter = '|', value = {
      "abc|abc|true",
      "*|abc|true",
      "*c|abc|true",
      "a*|a|true",
      "a*|abc|true",
      "a*|ab/c|true",
      "a*/b|abc/b|true",
      "a*/b|a/c/b|false",
      "a*b*c*d*e*/f|axbxcxdxe/f|true",
      "a*b*c*d*e*/f|axbxcxdxexxx/f|true",
      "a*b*c*d*e*/f|axbxcxdxe/xxx/f|false",
      "a*b*c*d*e*/f|axbxcxdxexxx/fff|false",
      "a*b?c*x|abxbbxdbxebxczzx|true",
      "a*b?c*x|abxbbxdbxebxczzy|false",
      "ab[c]|abc|true",
      "ab[b-d]|abc|true",
      "ab[e-g]|abc|false",
      "ab[^c]|abc|false",
      "ab[^b-d]|abc|false",
      "ab[^e-g]|abc|true",
      "a\\*b|a*b|true",
      "a\\*b|ab|false",
      "a?b|a☺b|true",
      "a[^a]b|a☺b|true",
      "a???b|a☺b|false",
      "a[^a][^a][^a]b|a☺b|false",
      "[a-ζ]*|α|true",
      "*[a-ζ]|A|false",
      "a?b|a/b|false",
      "a*b|a/b|false",
      "[\\]a]|]|true",
      "[\\-]|-|true",
      "[x\\-]|x|true",
      "[x\\-]|-|true",
      "[x\\-]|z|false",
      "[\\-x]|x|true",
      "[\\-x]|-|true",
      "[\\-x]|a|false",
      "*x|xxx|true",
  })
  void goFilepathMatchCases(String pattern, String text, boolean match) throws Exception {
    assertEquals(match, DockerIgnore.of(List.of(pattern)).matches(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[",
      // valid for filepath.Match but not for Go's regexp compiler
      "[Local-Only]/", "[z-a]", "a\\q", "[[:foo:]]", "x\\pQ",
  })
  void malformedPatternsAreErrors(String pattern) {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> DockerIgnore.of(List.of(pattern)));
    assertTrue(e.getMessage().contains("syntax error in pattern"), e.getMessage());
  }

  // TestCompile: the regexp patternmatcher builds, or null where it compares strings instead
  @ParameterizedTest
  @CsvSource(delimiterString = " => ", nullValues = "NONE", value = {
      "* => ^[^/]*$",
      "file* => ^file[^/]*$",
      "*file => ^[^/]*file$",
      "a*/b => ^a[^/]*/b$",
      "** => NONE",
      "**/** => ^(.*/)?.*$",
      "dir/** => NONE",
      "**/dir => NONE",
      "**/dir2/* => ^(.*/)?dir2/[^/]*$",
      "**/dir2/** => ^(.*/)?dir2/.*$",
      "**file => NONE",
      "**/file*txt => ^(.*/)?file[^/]*txt$",
      "**/**/*.txt => ^(.*/)?(.*/)?[^/]*\\.txt$",
      "a[b-d]e => ^a[b-d]e$",
      ".* => ^\\.[^/]*$",
      "abc.def => NONE",
      "abc?def => ^abc[^/]def$",
      "**/foo/bar => NONE",
      "a(b)c/def => NONE",
      "a.|)$(}+{bc => NONE",
      "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl => NONE",
  })
  void compilesLikePatternmatcher(String pattern, String regexp) throws Exception {
    assertEquals(regexp, compile(pattern).regexpText());
  }

  @Test
  void shortcutQuirksArePreserved() throws Exception {
    // "**file" is a suffix comparison in patternmatcher, so it also matches "barfile"
    assertTrue(compile("**file").matches("barfile"));
    // "dir/**" is a prefix comparison that needs the slash
    assertEquals(false, compile("dir/**").matches("dirx/a"));
    // prefix and suffix comparisons see newlines, the regexp's '.' does not
    assertTrue(compile("a**").matches("ab\nc"));
    assertEquals(false, compile("a*/**").matches("ab/c\nd"));
  }

  @Test
  void classesReachGoRegexpUnchanged() throws Exception {
    assertTrue(compile("[[:digit:]]*.log").matches("1.log"));
    assertEquals(false, compile("[[:digit:]]*.log").matches("a.log"));
    // in Go's regexp the '*' inside "[*]" turns into "[[^/]*]": a class, a star, a literal ']'
    assertEquals("^[[^/]*]$", compile("[*]").regexpText());
    assertTrue(compile("[*]").matches("[^]"));
    assertEquals(false, compile("[*]").matches("*"));
    // an escaped letter is a Go regexp escape: \d is a digit, \x41 is 'A'
    assertTrue(compile("v\\d").matches("v7"));
    assertTrue(compile("\\x41").matches("A"));
  }

  @Test
  void exceptionsAndLines() throws Exception {
    DockerIgnore ignore = DockerIgnore.parse(".dockerignore", "# c\n\n*.md\n  !README.md  \n");
    IgnorePattern md = ignore.patterns().get(0);
    IgnorePattern readme = ignore.patterns().get(1);
    assertEquals("*.md", md.pattern());
    assertEquals(3, md.line());
    assertEquals(false, md.isException());
    assertEquals("README.md", readme.pattern());
    assertTrue(readme.isException());
    assertEquals(4, readme.line());
    assertEquals("!README.md", readme.toString());
    assertNull(compile("plain").regexpText());
  }

  @Test
  void withoutTrailingGlob() throws Exception {
    assertEquals("a/b", compile("a/b/**").withoutTrailingGlob());
    assertEquals("a/b", compile("a/b/*").withoutTrailingGlob());
    assertEquals("a", compile("a/*/**").withoutTrailingGlob());
    assertEquals("a/b*", compile("a/b*").withoutTrailingGlob());
  }
}
