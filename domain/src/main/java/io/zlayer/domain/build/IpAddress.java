package io.zlayer.domain.build;

/**
 * Go's {@code net.ParseIP} (built on {@code netip.ParseAddr}) as a yes/no check: dotted IPv4
 * without leading zeros, or IPv6 with at most one {@code ::}, fields of at most four hex digits
 * and an optional trailing IPv4 part; zones are refused.
 */
final class IpAddress {
  private IpAddress() {}

  static boolean isValid(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        return isIpv4(s);
      }
      if (c == ':') {
        return isIpv6(s);
      }
    }
    return false;
  }

  static boolean isIpv4(String s) {
    String[] fields = s.split("\\.", -1);
    if (fields.length != 4) {
      return false;
    }
    for (String f : fields) {
      if (f.isEmpty() || f.length() > 3 || (f.length() > 1 && f.charAt(0) == '0')) {
        return false;
      }
      int v = 0;
      for (int i = 0; i < f.length(); i++) {
        char c = f.charAt(i);
        if (c < '0' || c > '9') {
          return false;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String s) {
    int bytes = 0;
    boolean ellipsis = false;
    int i = 0;
    int n = s.length();
    if (n >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
      ellipsis = true;
      i = 2;
      if (i == n) {
        return true;
      }
    }
    while (bytes < 16) {
      int start = i;
      while (i < n && i - start <= 4 && Character.digit(s.charAt(i), 16) >= 0) {
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4) {
        return false;
      }
      if (i < n && s.charAt(i) == '.') {
        if ((!ellipsis && bytes != 12) || bytes + 4 > 16) {
          return false;
        }
        if (!isIpv4(s.substring(start))) {
          return false;
        }
        bytes += 4;
        i = n;
        break;
      }
      bytes += 2;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':' || i + 1 == n) {
        return false;
      }
      i++;
      if (s.charAt(i) == ':') {
        if (ellipsis) {
          return false;
        }
        ellipsis = true;
        i++;
        if (i == n) {
          break;
        }
      }
    }
    if (i != n) {
      return false;
    }
    return bytes < 16 ? ellipsis : !ellipsis;
  }
}
