package io.zlayer.adapters.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkFilesTest {
  @Test
  void hostsFileMatchesBuildKit() {
    assertEquals("127.0.0.1\tlocalhost buildkitsandbox\n"
        + "::1\tlocalhost ip6-localhost ip6-loopback\n",
        NetworkFiles.hosts("buildkitsandbox", List.of()));
    assertEquals("127.0.0.1\tlocalhost box\n"
        + "::1\tlocalhost ip6-localhost ip6-loopback\n"
        + "10.1.2.3\tdb\n"
        + "::2\tv6host\n",
        NetworkFiles.hosts("box", List.of(new HostEntry("db", "10.1.2.3"),
            new HostEntry("v6host", "::2"))));
  }

  @Test
  void hostNetworkKeepsTheHostResolvConf() {
    String host = "# local stub\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n";
    assertEquals(host, NetworkFiles.resolvConf(NetworkMode.DEFAULT, host));
    assertEquals(host, NetworkFiles.resolvConf(NetworkMode.HOST, host));
    assertEquals("/etc/resolv.conf", NetworkFiles.sourcePath(NetworkMode.DEFAULT, host));
  }

  @Test
  void isolatedNetworkDropsLoopbackNameserversAndFallsBackToPublicDns() {
    String host = "nameserver 127.0.0.53\nsearch lan\n";
    assertEquals("/run/systemd/resolve/resolv.conf",
        NetworkFiles.sourcePath(NetworkMode.NONE, host));
    assertEquals("search lan\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n"
        + "nameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844",
        NetworkFiles.resolvConf(NetworkMode.NONE, host));
  }

  @Test
  void isolatedNetworkKeepsRealNameservers() {
    String host = "nameserver 10.0.0.2\nnameserver ::1\nnameserver 127.0.0.1\noptions ndots:2\n";
    assertEquals("nameserver 10.0.0.2\noptions ndots:2\n",
        NetworkFiles.resolvConf(NetworkMode.NONE, host));
    assertEquals("/etc/resolv.conf", NetworkFiles.sourcePath(NetworkMode.NONE, host));
  }

  @Test
  void hostNetworkWithoutNameserversGetsDefaults() {
    assertEquals("\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n"
        + "nameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844",
        NetworkFiles.resolvConf(NetworkMode.DEFAULT, ""));
  }

  @Test
  void nameserversIgnoreComments() {
    assertEquals(List.of("1.1.1.1", "9.9.9.9"), NetworkFiles.nameservers(
        "#nameserver 8.8.8.8\nnameserver 1.1.1.1 # primary\n  nameserver   9.9.9.9\n"
            + "; nameserver 4.4.4.4\n"));
  }
}
