package io.zlayer.domain.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.ImageFormatException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  @Test
  void sha256OfKnownContent() {
    assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        Digest.sha256("hello".getBytes(StandardCharsets.UTF_8)).toString());
  }

  @Test
  void parsesSha256AndSha512() throws Exception {
    Digest d = Digest.parse("sha256:" + "a".repeat(64));
    assertEquals("sha256", d.algorithm());
    assertEquals("aaaaaaaaaaaa", d.shortHex());
    assertTrue(Digest.isValid("sha512:" + "0".repeat(128)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sha256", "sha256:", ":abc", "md5:" + "a", "sha256:ABC",
      "sha256:" + "A", "sha512:" + "a", "sha256:" + "g"})
  void rejectsInvalidDigests(String text) {
    assertFalse(Digest.isValid(text));
    assertThrows(ImageFormatException.class, () -> Digest.parse(text));
  }

  @Test
  void rejectsUpperCaseAndWrongLength() {
    assertFalse(Digest.isValid("sha256:" + "A".repeat(64)));
    assertFalse(Digest.isValid("sha256:" + "a".repeat(63)));
    assertFalse(Digest.isValid("sha512:" + "a".repeat(64)));
  }
}
