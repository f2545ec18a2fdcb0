package io.zlayer.domain.dockerfile.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoTextTest {

  @Test
  void decodeAndEncodeRoundTripAnyBytes() {
    byte[] bytes = new byte[512];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 37 + (i >> 3));
    }
    assertArrayEquals(bytes, GoText.toBytes(GoText.decode(bytes)));
    String text = "h\u00e9llo \ud83d\ude00 \u4e2d";
    assertEquals(text, GoText.decode(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals(GoText.toBytes(text).length, GoText.byteLength(text));
  }

  @Test
  void canonicalLeavesValidTextAlone() {
    String text = "valid \ud83d\udc80 text";
    assertSame(text, GoText.canonical(text));
    assertEquals("\udced\udca0\udc80x", GoText.canonical("\ud800x"));
  }

  @Test
  void spacesAreGosUnicodeIsSpace() {
    for (int r : new int[] {' ', '\t', '\n', 0x0b, '\f', '\r', 0x85, 0xa0, 0x1680, 0x2000,
        0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000}) {
      assertEquals(true, GoText.isSpace(r), Integer.toHexString(r));
    }
    for (int r : new int[] {0x200b, 0xfeff, 0x180e, 'a', 0xfffd}) {
      assertEquals(false, GoText.isSpace(r), Integer.toHexString(r));
    }
    assertEquals("a \u200b", GoText.trimSpace("\u3000\u00a0a \u200b\u2029 "));
  }

  @Test
  void toLowerIsPerRune() {
    assertEquals("run", GoText.toLower("RUN"));
    assertEquals("i\u00e9", GoText.toLower("\u0130\u00c9"));
    assertEquals("healthcheck", GoText.toLower("HEALTHCHEC\u212a"));
    assertEquals("\u03c3\u03c3", GoText.toLower("\u03a3\u03a3"));
  }

  @Test
  void splitLikeGoRegexpSplit() {
    assertEquals(List.of("a", "b c"), GoText.splitWhitespace("a \t b c", 2));
    assertEquals(List.of("a", "b", "c"), GoText.splitWhitespace("a \t b\u000bc", -1));
    assertEquals(List.of("a"), GoText.splitWhitespace("a", 2));
    assertEquals(List.of(""), GoText.splitWhitespace("", 2));
    assertEquals(List.of("", "a", "b", ""), GoText.splitWhitespace(" a b ", -1));
    assertEquals(List.of("a\u00a0b"), GoText.splitWhitespace("a\u00a0b", -1));
  }
}
