package io.zlayer.domain.dockerfile.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.domain.error.DockerfileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChmodTest {
  private static final SourceLocation AT = new SourceLocation(3, 3);

  @Test
  void octal() throws Exception {
    assertEquals(new Chmod.Octal(0755), Chmod.parse("755", AT));
    assertEquals(new Chmod.Octal(0644), Chmod.parse("0644", AT));
    assertEquals(new Chmod.Octal(07777), Chmod.parse("7777", AT));
    assertEquals(new Chmod.Octal(0), Chmod.parse("0", AT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"u+x", "go-w", "a=rX", "u=rwx,g=rx,o=", "+x", "ug+s,o-t", "g=u",
      "u+rw-x"})
  void symbolic(String mode) throws Exception {
    assertEquals(new Chmod.Symbolic(mode), Chmod.parse(mode, AT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10000", "789", "0x1ff", "1e3", "-755"})
  void numericLookingValuesGetBuildKitsOctalMessage(String mode) {
    DockerfileException e = assertThrows(DockerfileException.class, () -> Chmod.parse(mode, AT));
    String expected = mode.startsWith("-")
        ? "invalid chmod parameter: '-755'. it should be an octal mode between 0 and 07777 or a"
            + " symbolic mode like u+rwx,g-w"
        : "invalid chmod parameter: '" + mode
            + "'. it should be octal string and between 0 and 07777";
    assertEquals(expected, e.detail());
    assertEquals(3, e.line());
  }

  @ParameterizedTest
  @ValueSource(strings = {"u", "u+q", "x+u", "u+x,", ",u+x", "rwx", "u+x g+w", ""})
  void invalidSymbolicModes(String mode) {
    DockerfileException e = assertThrows(DockerfileException.class, () -> Chmod.parse(mode, AT));
    assertEquals("invalid chmod parameter: '" + mode + "'. it should be an octal mode between 0"
        + " and 07777 or a symbolic mode like u+rwx,g-w", e.detail());
  }
}
