package io.zlayer.adapters.sandbox.run;

/** One extra {@code /etc/hosts} line ({@code --add-host host:ip}). */
public record HostEntry(String hostname, String ip) {
  public HostEntry {
    if (hostname.isBlank() || ip.isBlank() || (hostname + ip).chars().anyMatch(c -> c < ' ')) {
      throw new IllegalArgumentException("invalid host entry " + hostname + " " + ip);
    }
  }
}
