package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.parser.GoQuote;

/**
 * Keeps error messages on one line when they quote what the user wrote: line breaks and other
 * control characters become Go escapes ({@code \r}, {@code \x00}).
 */
final class OneLine {
  private OneLine() {}

  static String of(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        String quoted = GoQuote.quote(String.valueOf(c));
        sb.append(quoted, 1, quoted.length() - 1);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
