package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's filepath.Match test table (the Unix cases), plus BuildKit's wildcard test. */
class GoGlobTest {
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "abc|abc|true",
      "*|abc|true",
      "*c|abc|true",
      "a*|a|true",
      "a*|abc|true",
      "a*|ab/c|false",
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
      "[]a]|]|false",
      "[-]|-|false",
      "[x-]|x|false",
      "[x-]|-|false",
      "[x-]|z|false",
      "[-x]|x|false",
      "[-x]|-|false",
      "[-x]|a|false",
      "\\|a|false",
      "[a-b-c]|a|false",
      "[|a|false",
      "[^|a|false",
      "[^bc|a|false",
      "a[|a|false",
      "a[|ab|false",
      "a[|x|false",
      "a/b[|a/b|false",
      "a/b[|x|false",
      "*x|xxx|true",
      "arr[[]0].txt|arr[0].txt|true",
  })
  void matchesLikeGo(String pattern, String name, boolean expected) {
    assertEquals(expected, GoGlob.matches(pattern, name));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"*.txt|true", "a?|true", "[ab]|true", "a\\*|false",
      "plain|false", "a\\\\*|true"})
  void detectsWildcards(String name, boolean expected) {
    assertEquals(expected, GoGlob.containsWildcards(name));
  }
}
