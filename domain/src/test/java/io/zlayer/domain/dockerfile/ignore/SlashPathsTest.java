package io.zlayer.domain.dockerfile.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's path/filepath cleantests and dirtests (Unix). */
class SlashPathsTest {

  @ParameterizedTest
  @CsvSource(emptyValue = "EMPTY", value = {
      "EMPTY, .", "abc, abc", "abc/def, abc/def", "a/b/c, a/b/c", "., .", ".., ..",
      "../.., ../..", "../../abc, ../../abc", "/abc, /abc", "/, /", "abc/, abc",
      "abc/def/, abc/def", "a/b/c/, a/b/c", "./, .", "../, ..", "../../, ../..", "/abc/, /abc",
      "abc//def//ghi, abc/def/ghi", "//abc, /abc", "///abc, /abc", "//abc//, /abc", "abc//, abc",
      "abc/./def, abc/def", "/./abc/def, /abc/def", "abc/., abc",
      "abc/def/ghi/../jkl, abc/def/jkl", "abc/def/../ghi/../jkl, abc/jkl", "abc/def/.., abc",
      "abc/def/../.., .", "/abc/def/../.., /", "abc/def/../../.., ..",
      "/abc/def/../../.., /", "abc/def/../../../ghi/jkl/../../../mno, ../../mno",
      "/../abc, /abc", "abc/./../def, def", "abc//./../def, def",
      "abc/../../././../def, ../../def", "a/..b, a/..b", "a/.b/., a/.b",
  })
  void clean(String path, String expected) {
    assertEquals(expected, SlashPaths.clean(path.equals("EMPTY") ? "" : path));
  }

  @ParameterizedTest
  @CsvSource(emptyValue = "EMPTY", value = {
      "EMPTY, .", "., .", "/., /", "/, /", "////, /", "/foo, /", "x/, x", "abc, .",
      "abc/def, abc", "a/b/.x, a/b", "a/b/c., a/b", "a/b/c.x, a/b",
  })
  void dir(String path, String expected) {
    assertEquals(expected, SlashPaths.dir(path.equals("EMPTY") ? "" : path));
  }
}
