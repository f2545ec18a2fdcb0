package io.zlayer.domain.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BuildKit's {@code parsePortSpecs} for EXPOSE: each word is {@code [ip:][hostPort:]port[/proto]}
 * with ports or port ranges; the result is one {@code port/proto} per port ({@code tcp} by
 * default), ranges expanded. Failures are returned as BuildKit words them.
 */
final class PortSpecs {
  private PortSpecs() {}

  /** A port spec that BuildKit rejects, with its message. */
  static final class InvalidPortSpec extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidPortSpec(String message) {
      super(message);
    }
  }

  static List<String> parse(List<String> specs) throws InvalidPortSpec {
    List<String> out = new ArrayList<>();
    for (String spec : specs) {
      out.addAll(parse(spec));
    }
    return out;
  }

  static List<String> parse(String rawPort) throws InvalidPortSpec {
    String[] parts = rawPort.split(":", -1);
    String ip;
    String hostPort;
    String containerPort;
    switch (parts.length) {
      case 1 -> {
        ip = "";
        hostPort = "";
        containerPort = parts[0];
      }
      case 2 -> {
        ip = "";
        hostPort = parts[0];
        containerPort = parts[1];
      }
      case 3 -> {
        ip = parts[0];
        hostPort = parts[1];
        containerPort = parts[2];
      }
      default -> {
        int n = parts.length;
        ip = String.join(":", java.util.Arrays.asList(parts).subList(0, n - 2));
        hostPort = parts[n - 2];
        containerPort = parts[n - 1];
      }
    }
    int slash = containerPort.indexOf('/');
    String port = slash < 0 ? containerPort : containerPort.substring(0, slash);
    String proto = slash < 0 ? "" : containerPort.substring(slash + 1);
    if (port.isEmpty()) {
      throw new InvalidPortSpec("no port specified: " + containerPort + "<empty>");
    }
    proto = proto.toLowerCase(Locale.ROOT);
    switch (proto) {
      case "" -> proto = "tcp";
      case "tcp", "udp", "sctp" -> { }
      default -> throw new InvalidPortSpec("invalid proto: " + proto);
    }
    if (!ip.isEmpty() && ip.charAt(0) == '[') {
      ip = bracketedHost(ip);
    }
    if (!ip.isEmpty() && !IpAddress.isValid(ip)) {
      throw new InvalidPortSpec("invalid IP address: " + ip);
    }
    long[] range = portRange(port);
    if (range == null) {
      throw new InvalidPortSpec("invalid containerPort: " + port);
    }
    if (!hostPort.isEmpty()) {
      long[] hostRange = portRange(hostPort);
      if (hostRange == null) {
        throw new InvalidPortSpec("invalid hostPort: " + hostPort);
      }
      if (range[1] - range[0] != hostRange[1] - hostRange[0] && range[1] != range[0]) {
        throw new InvalidPortSpec("invalid ranges specified for container and host Ports: "
            + port + " and " + hostPort);
      }
    }
    List<String> out = new ArrayList<>();
    for (long p = range[0]; p <= range[1]; p++) {
      out.add(p + "/" + proto);
    }
    return out;
  }

  /** Go's {@code net.SplitHostPort(ip + ":")}, for a {@code [v6]} address. */
  private static String bracketedHost(String ip) throws InvalidPortSpec {
    String hostport = ip + ":";
    int close = hostport.indexOf(']');
    String problem = null;
    if (close < 0) {
      problem = "missing ']' in address";
    } else if (close + 1 != hostport.length() - 1) {
      problem = close + 1 == hostport.length() ? "missing port in address"
          : hostport.charAt(close + 1) == ':' ? "too many colons in address"
              : "missing port in address";
    } else {
      String host = hostport.substring(1, close);
      if (host.indexOf('[') >= 0) {
        problem = "unexpected '[' in address";
      } else if (host.indexOf(']') >= 0) {
        problem = "unexpected ']' in address";
      } else {
        return host;
      }
    }
    throw new InvalidPortSpec(
        "invalid IP address " + ip + ": address " + hostport + ": " + problem);
  }

  /** BuildKit's {@code parsePortRange}: {start, end}, or null when invalid. */
  private static long[] portRange(String ports) {
    if (ports.isEmpty()) {
      return null;
    }
    if (ports.indexOf('-') < 0) {
      long p = port(ports);
      return p < 0 ? null : new long[] {p, p};
    }
    String[] parts = ports.split("-", -1);
    if (parts.length != 2) {
      return null;
    }
    long start = port(parts[0]);
    long end = port(parts[1]);
    if (start < 0 || end < 0 || end < start) {
      return null;
    }
    return new long[] {start, end};
  }

  /** {@code strconv.ParseUint(s, 10, 16)}, or -1. */
  private static long port(String s) {
    if (s.isEmpty() || s.length() > 5) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v > 0xFFFF ? -1 : v;
  }
}
