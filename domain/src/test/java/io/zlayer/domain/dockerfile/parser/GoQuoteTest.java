package io.zlayer.domain.dockerfile.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are what Go's strconv.Quote / fmt %q print. */
class GoQuoteTest {

  @Test
  void asciiAndShortEscapes() {
    assertEquals("\"abc\"", GoQuote.quote("abc"));
    assertEquals("\"\"", GoQuote.quote(""));
    assertEquals("\"\\\"\\\\\"", GoQuote.quote("\"\\"));
    assertEquals("\"\\a\\b\\f\\n\\r\\t\\v\"", GoQuote.quote("\u0007\b\f\n\r\t\u000b"));
    assertEquals("\"\\x00\\x1b\\x7f\"", GoQuote.quote("\u0000\u001b\u007f"));
    assertEquals("\"' `\"", GoQuote.quote("' `"));
  }

  @Test
  void printableUnicodeIsKept() {
    assertEquals("\"\u00e9\u2665\u2603\ud83d\ude00\u4e2d\"",
        GoQuote.quote("\u00e9\u2665\u2603\ud83d\ude00\u4e2d"));
    assertEquals("\"\ufffd\"", GoQuote.quote("\ufffd"));
  }

  @Test
  void nonPrintableUnicodeIsEscaped() {
    assertEquals("\"\\u0080\\u0085\\u00a0\\u00ad\"", GoQuote.quote("\u0080\u0085\u00a0\u00ad"));
    assertEquals("\"\\u200b\\u2028\\u3000\\ufeff\"", GoQuote.quote("\u200b\u2028\u3000\ufeff"));
    assertEquals("\"\\U000e0001\\U0010ffff\"",
        GoQuote.quote(new String(Character.toChars(0xE0001))
            + new String(Character.toChars(0x10FFFF))));
    assertEquals("\"\\ue000\"", GoQuote.quote("\ue000"));
  }

  @Test
  void invalidBytesAreHexEscaped() {
    byte[] bytes = {'a', (byte) 0xff, (byte) 0xe2, (byte) 0x82, 'b', (byte) 0xed, (byte) 0xa0,
        (byte) 0x80, (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
    assertEquals("\"a\\xff\\xe2\\x82b\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80\"",
        GoQuote.quote(GoText.decode(bytes)));
    assertEquals("\"\\xed\\xb0\\x80\"", GoQuote.quote("\udc00"));
  }

  @Test
  void overlongEncodingsAreInvalid() {
    byte[] bytes = {(byte) 0xc0, (byte) 0xaf, (byte) 0xe0, (byte) 0x80, (byte) 0xaf};
    assertEquals("\"\\xc0\\xaf\\xe0\\x80\\xaf\"", GoQuote.quote(GoText.decode(bytes)));
  }

  @Test
  void stringLists() {
    assertEquals("[\"--from=a\" \"--b\"]", GoQuote.quoteList(List.of("--from=a", "--b")));
    assertEquals("[]", GoQuote.quoteList(List.of()));
  }
}
