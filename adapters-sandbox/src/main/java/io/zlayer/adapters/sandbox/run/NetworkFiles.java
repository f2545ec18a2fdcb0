package io.zlayer.adapters.sandbox.run;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code /etc/hosts} and {@code /etc/resolv.conf} a step sees, generated as BuildKit does
 * ({@code executor/oci/hosts.go}, {@code resolvconf.go} and libnetwork's filter).
 */
final class NetworkFiles {
  static final String HOST_RESOLV_CONF = "/etc/resolv.conf";
  static final String SYSTEMD_RESOLV_CONF = "/run/systemd/resolve/resolv.conf";

  private static final Pattern LOCALHOST_NAMESERVER = Pattern.compile(
      "(?m)^nameserver\\s+((127\\.([0-9]{1,3}\\.){2}[0-9]{1,3})|(::1)$)\\s*\\n*");
  private static final List<String> DEFAULT_DNS = List.of("nameserver 8.8.8.8",
      "nameserver 8.8.4.4", "nameserver 2001:4860:4860::8888",
      "nameserver 2001:4860:4860::8844");

  private NetworkFiles() {}

  static String hosts(String hostname, List<HostEntry> extraHosts) {
    StringBuilder out = new StringBuilder();
    out.append("127.0.0.1\tlocalhost ").append(hostname).append('\n');
    out.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
    for (HostEntry entry : extraHosts) {
      out.append(entry.ip()).append('\t').append(entry.hostname()).append('\n');
    }
    return out.toString();
  }

  /**
   * Which host file BuildKit copies: the host's own for the host network (its local resolver is
   * reachable there); otherwise systemd-resolved's upstream list when {@code /etc/resolv.conf}
   * only names the 127.0.0.53 stub.
   */
  static String sourcePath(NetworkMode network, String hostResolvConf) {
    if (network.sharesHostNetwork()) {
      return HOST_RESOLV_CONF;
    }
    List<String> servers = nameservers(hostResolvConf);
    if (servers.size() == 1 && servers.get(0).equals("127.0.0.53")) {
      return SYSTEMD_RESOLV_CONF;
    }
    return HOST_RESOLV_CONF;
  }

  /**
   * The step's resolv.conf from the source file's content: kept as is on the host network unless
   * it names no nameserver; otherwise loopback nameservers are dropped and Google's public
   * servers are added when none remain.
   */
  static String resolvConf(NetworkMode network, String source) {
    if (network.sharesHostNetwork() && !nameservers(source).isEmpty()) {
      return source;
    }
    String cleaned = LOCALHOST_NAMESERVER.matcher(source).replaceAll("");
    if (nameservers(cleaned).isEmpty()) {
      cleaned = cleaned + "\n" + String.join("\n", DEFAULT_DNS);
    }
    return cleaned;
  }

  static List<String> nameservers(String resolvConf) {
    List<String> out = new ArrayList<>();
    for (String line : resolvConf.split("\n")) {
      int comment = indexOfComment(line);
      String content = comment < 0 ? line : line.substring(0, comment);
      String[] fields = content.trim().split("\\s+");
      if (fields.length >= 2 && fields[0].equals("nameserver")) {
        out.add(fields[1]);
      }
    }
    return out;
  }

  private static int indexOfComment(String line) {
    int hash = line.indexOf('#');
    int semicolon = line.indexOf(';');
    if (hash < 0) {
      return semicolon;
    }
    return semicolon < 0 ? hash : Math.min(hash, semicolon);
  }
}
