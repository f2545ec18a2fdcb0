package io.zlayer.adapters.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void wideCharactersTakeTwoCellsAndMarksNone() {
    assertEquals(5, TerminalText.width("hello"));
    assertEquals(4, TerminalText.width("日本"));
    assertEquals(1, TerminalText.width("e\u0301"));
    assertEquals(2, TerminalText.width("\ud83d\ude00"));
  }

  @Test
  void cutNeverSplitsAWideCharacter() {
    assertEquals("日", TerminalText.cut("日本語", 3));
    assertEquals("日本", TerminalText.cut("日本語", 4));
    assertEquals("", TerminalText.cut("abc", 0));
    assertEquals("abc", TerminalText.cut("abc", 10));
    assertEquals("a", TerminalText.cut("a\ud83d\ude00", 2));
  }

  @Test
  void sanitizeKeepsWhatATerminalWouldShow() {
    assertEquals("red", TerminalText.sanitize("\u001b[1;31mred\u001b[0m"));
    assertEquals("100%", TerminalText.sanitize(" 10%\r 50%\r100%"));
    assertEquals("done", TerminalText.sanitize("done\r"));
    assertEquals("ab      c", TerminalText.sanitize("ab\tc"));
    assertEquals("xy", TerminalText.sanitize("x\u001b]0;window title\u0007y"));
    assertEquals("xy", TerminalText.sanitize("x\u001b]8;;http://e\u001b\\y"));
    assertEquals("ab", TerminalText.sanitize("a\u0000\u0008\u007f\u009bb"));
    assertEquals("x", TerminalText.sanitize("x\u001b"));
    assertEquals("x", TerminalText.sanitize("\u001b(Bx"));
  }

  @Test
  void padLeft() {
    assertEquals("  1.5s", TerminalText.padLeft("1.5s", 6));
    assertEquals("123.4s", TerminalText.padLeft("123.4s", 3));
  }
}
