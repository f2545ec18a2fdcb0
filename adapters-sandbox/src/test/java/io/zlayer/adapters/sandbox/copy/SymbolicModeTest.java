package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** chmod(1) symbolic modes with BSD setmode semantics and a umask of 0. */
class SymbolicModeTest {
  @ParameterizedTest(name = "{0} on {1} (dir={2}) = {3}")
  @CsvSource(delimiter = '|', value = {
      "u+x|0644|false|0744",
      "+x|0644|false|0755",
      "go-w|0666|false|0644",
      "a=|0777|false|0000",
      "=r|0777|false|0444",
      "u=rwx,go=rx|0000|false|0755",
      "u=rwX,go=rX|0600|false|0644",
      "u=rwX,go=rX|0700|false|0755",
      "u=rwX,go=rX|0700|true|0755",
      "u=rwX,go=rX|0600|true|0755",
      "+X|0644|false|0644",
      "+X|0644|true|0755",
      "+X|0744|false|0755",
      "-X|0755|false|0644",
      "g=u|0640|false|0660",
      "go=u-w|0700|false|0755",
      "u+s|0755|false|04755",
      "g+s|0755|true|02755",
      "o+s|0755|false|0755",
      "+t|0755|true|01755",
      "o+t|0755|true|0755",
      "u-s|04755|false|0755",
      "u+x-w|0644|false|0544",
      "a+rw|0000|false|0666",
      "=rw,+X|0700|false|0777",
      "=rw,+X|0600|false|0666",
      "ug=rw,o=|0777|false|0660",
      "u=g|0070|false|0770",
  })
  void applies(String expression, String before, boolean directory, String after) {
    assertEquals(Integer.parseInt(after, 8),
        SymbolicMode.parse(expression).apply(Integer.parseInt(before, 8), directory),
        expression);
  }
}
