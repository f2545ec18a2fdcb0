package io.zlayer.adapters.registry;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which hosts may be reached over plain HTTP or unverified TLS: entries are {@code host:port}
 * (that port only), {@code host} (any port), {@code *.example.com} (any subdomain) or an IP
 * network in CIDR notation ({@code 10.0.0.0/8}, as Docker's {@code insecure-registries}).
 */
final class InsecureHosts {
  private final List<String> entries;

  InsecureHosts(Set<String> entries) {
    this.entries = entries.stream().map(e -> e.trim().toLowerCase(Locale.ROOT))
        .filter(e -> !e.isEmpty()).map(InsecureHosts::stripScheme).toList();
  }

  private static String stripScheme(String e) {
    int i = e.indexOf("://");
    String s = i >= 0 ? e.substring(i + 3) : e;
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Whether {@code host} (optionally with {@code :port}, IPv6 in brackets) is listed. */
  boolean contains(String hostPort) {
    String hp = hostPort.toLowerCase(Locale.ROOT);
    String host = hostOf(hp);
    for (String e : entries) {
      if (e.equals(hp) || e.equals(host)) {
        return true;
      }
      if (e.startsWith("*.") && host.endsWith(e.substring(1))) {
        return true;
      }
      if (e.contains("/") && inNetwork(host, e)) {
        return true;
      }
    }
    return false;
  }

  /** The host of {@code host[:port]}, with IPv6 brackets kept. */
  static String hostOf(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      return close > 0 ? hostPort.substring(0, close + 1) : hostPort;
    }
    int colon = hostPort.lastIndexOf(':');
    if (colon > 0 && hostPort.indexOf(':') == colon) {
      return hostPort.substring(0, colon);
    }
    return hostPort;
  }

  /** Loopback by name or address: localhost, 127.0.0.0/8, ::1. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (!isIpLiteral(h)) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isIpLiteral(String h) {
    return h.matches("[0-9.]+") && h.chars().filter(c -> c == '.').count() == 3
        || (h.contains(":") && h.matches("[0-9a-f:.]+"));
  }

  private static boolean inNetwork(String host, String cidr) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int slash = cidr.indexOf('/');
    String net = cidr.substring(0, slash);
    if (!isIpLiteral(h) || !isIpLiteral(net)) {
      return false;
    }
    try {
      byte[] a = InetAddress.getByName(h).getAddress();
      byte[] n = InetAddress.getByName(net).getAddress();
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      if (a.length != n.length || bits < 0 || bits > a.length * 8) {
        return false;
      }
      int shift = a.length * 8 - bits;
      return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, n).shiftRight(shift));
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
  }
}
