package io.zlayer.adapters.registry;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The {@code rel="next"} target of RFC 8288 {@code Link} headers, resolved against a base. */
final class LinkHeader {
  private LinkHeader() {}

  static Optional<URI> next(Collection<String> values, URI base) {
    for (String value : values) {
      int i = 0;
      while (true) {
        int open = value.indexOf('<', i);
        if (open < 0) {
          break;
        }
        int close = value.indexOf('>', open);
        if (close < 0) {
          break;
        }
        String target = value.substring(open + 1, close).trim();
        int nextLink = value.indexOf('<', close);
        String params = nextLink < 0 ? value.substring(close + 1)
            : value.substring(close + 1, nextLink);
        if (hasRelNext(params)) {
          try {
            return Optional.of(base.resolve(target));
          } catch (IllegalArgumentException e) {
            return Optional.empty();
          }
        }
        i = close + 1;
      }
    }
    return Optional.empty();
  }

  private static boolean hasRelNext(String params) {
    for (String p : params.split(";")) {
      String[] kv = p.trim().split("=", 2);
      if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("rel")) {
        String rel = kv[1].trim().replaceAll("^\"|\"?,?$", "").trim();
        for (String r : rel.split("\\s+")) {
          if (r.toLowerCase(Locale.ROOT).equals("next")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
