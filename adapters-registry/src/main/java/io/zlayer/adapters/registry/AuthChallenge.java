package io.zlayer.adapters.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme ({@code bearer},
 * {@code basic}, lower-cased) with auth-params (names lower-cased) or a token68.
 */
record AuthChallenge(String scheme, Map<String, String> params, Optional<String> token68) {
  AuthChallenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  /** Every challenge in the given header values, in order; malformed parts are skipped. */
  static List<AuthChallenge> parse(List<String> headerValues) {
    List<AuthChallenge> out = new ArrayList<>();
    for (String v : headerValues) {
      parseInto(v, out);
    }
    return List.copyOf(out);
  }

  private static void parseInto(String text, List<AuthChallenge> out) {
    Cursor c = new Cursor(text);
    String scheme = null;
    Map<String, String> params = null;
    String token68 = null;
    while (true) {
      c.skipSpacesAndCommas();
      if (c.atEnd()) {
        break;
      }
      String tok = c.token();
      if (tok.isEmpty()) {
        if (c.peek() == '"') {
          c.quoted();
        } else {
          c.pos++;
        }
        continue;
      }
      c.skipSpaces();
      if (scheme != null && !c.atEnd() && c.peek() == '=') {
        c.pos++;
        c.skipSpaces();
        String value = !c.atEnd() && c.peek() == '"' ? c.quoted() : c.bareValue();
        params.putIfAbsent(tok.toLowerCase(Locale.ROOT), value);
        continue;
      }
      if (scheme != null) {
        out.add(new AuthChallenge(scheme, params, Optional.ofNullable(token68)));
      }
      scheme = tok;
      params = new LinkedHashMap<>();
      token68 = null;
      int mark = c.pos;
      String t68 = c.token68();
      if (!t68.isEmpty()) {
        c.skipSpaces();
        if (c.atEnd() || c.peek() == ',') {
          token68 = t68;
          continue;
        }
      }
      c.pos = mark;
    }
    if (scheme != null) {
      out.add(new AuthChallenge(scheme, params, Optional.ofNullable(token68)));
    }
  }

  private static final class Cursor {
    private final String s;
    private int pos;

    Cursor(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return s.charAt(pos);
    }

    void skipSpaces() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
        pos++;
      }
    }

    void skipSpacesAndCommas() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ',')) {
        pos++;
      }
    }

    String token() {
      int start = pos;
      while (!atEnd() && isTchar(peek())) {
        pos++;
      }
      return s.substring(start, pos);
    }

    /** An unquoted value: a token by the RFC, but servers put URLs there unquoted too. */
    String bareValue() {
      int start = pos;
      while (!atEnd() && peek() != ',' && peek() != ' ' && peek() != '\t') {
        pos++;
      }
      return s.substring(start, pos);
    }

    String token68() {
      int start = pos;
      while (!atEnd() && isToken68Char(peek())) {
        pos++;
      }
      while (!atEnd() && peek() == '=') {
        pos++;
      }
      return s.substring(start, pos);
    }

    /** A quoted-string starting at the opening quote, with backslash escapes resolved. */
    String quoted() {
      StringBuilder sb = new StringBuilder();
      pos++;
      while (!atEnd()) {
        char ch = s.charAt(pos++);
        if (ch == '"') {
          return sb.toString();
        }
        if (ch == '\\' && !atEnd()) {
          ch = s.charAt(pos++);
        }
        sb.append(ch);
      }
      return sb.toString();
    }

    private static boolean isTchar(char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(ch) >= 0;
    }

    private static boolean isToken68Char(char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
          || "-._~+/".indexOf(ch) >= 0;
    }
  }
}
