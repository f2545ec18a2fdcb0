package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.port.Credentials;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Platform;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PullCommandTest {
  private final CliHarness h = new CliHarness();
  private final AtomicReference<PullImage.Command> seen = new AtomicReference<>();

  private void pullDownloads(LocalImage result, boolean skipped) throws Exception {
    when(h.pull.pull(any())).thenAnswer(inv -> {
      PullImage.Command c = inv.getArgument(0);
      seen.set(c);
      c.events().accept(new BuildEvent.TransferStarted("3f2a1b2c3d4e", "pulling 3f2a1b2c3d4e",
          3_622_892));
      h.clock.advanceMillis(1200);
      c.events().accept(new BuildEvent.TransferFinished("3f2a1b2c3d4e", skipped));
      return result;
    });
  }

  @Test
  void printsTheDigestAndTheNameLikeDocker() throws Exception {
    LocalImage image = Images.image(false);
    pullDownloads(image, false);
    CliHarness.Result r = h.run("pull", "--progress", "plain", "alpine");
    assertEquals(0, r.code(), r.err());
    assertEquals(String.join("\n",
        "Using default tag: latest",
        "Digest: " + image.manifestDescriptor().digest(),
        "Status: Downloaded newer image for alpine:latest",
        "docker.io/library/alpine:latest",
        ""), r.out());
    assertEquals(String.join("\n",
        "#1 pulling 3f2a1b2c3d4e",
        "#1 DONE 1.2s",
        ""), r.err());
    PullImage.Command c = seen.get();
    assertEquals(Images.ref("docker.io/library/alpine:latest"), c.reference());
    assertEquals(Platform.host(), c.platform());
    assertEquals(Optional.empty(), c.registryOptions().credentials());
    assertEquals(Set.of(), c.registryOptions().insecureRegistries());
  }

  @Test
  void theDigestOfAMultiPlatformImageIsTheIndexDigest() throws Exception {
    LocalImage image = Images.image(true);
    pullDownloads(image, true);
    CliHarness.Result r = h.run("pull", "--progress=quiet", "alpine:3.20");
    assertEquals(String.join("\n",
        "Digest: " + image.index().get().digest(),
        "Status: Image is up to date for alpine:3.20",
        "docker.io/library/alpine:3.20",
        ""), r.out());
    assertEquals("", r.err());
  }

  @Test
  void quietPrintsOnlyTheName() throws Exception {
    pullDownloads(Images.image(false), false);
    CliHarness.Result r = h.run("-q", "pull", "--progress=plain", "ghcr.io/acme/app:1.2");
    assertEquals("ghcr.io/acme/app:1.2\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void platformIsParsedAndNormalized() throws Exception {
    pullDownloads(Images.image(false), false);
    assertEquals(0, h.run("pull", "--platform", "linux/aarch64", "alpine").code());
    assertEquals(Platform.of("linux", "arm64"), seen.get().platform());
  }

  @Test
  void aBadPlatformIsOneLine() throws Exception {
    CliHarness.Result r = h.run("pull", "--platform", "linux/arm64/v8/extra", "alpine");
    assertEquals(1, r.code());
    assertEquals("error: invalid platform \"linux/arm64/v8/extra\": too many components, expected"
        + " <os>[/<arch>[/<variant>]]\n", r.err());
    verify(h.pull, never()).pull(any());
  }

  @Test
  void aBadReferenceIsOneLine() throws Exception {
    CliHarness.Result r = h.run("pull", "Alpine");
    assertEquals(1, r.code());
    assertEquals("error: invalid reference \"Alpine\": repository name must be lowercase\n",
        r.err());
    assertEquals("", r.out());
  }

  @Test
  void registryFlagsBecomeRegistryOptions() throws Exception {
    pullDownloads(Images.image(false), false);
    CliHarness.Result r = h.run("pull", "--creds", "alice:pa:ss", "--insecure-registry",
        "registry.lan:5000", "--insecure-registry=index.docker.io", "--tls-verify=false",
        "registry.example.com/team/app:1");
    assertEquals(0, r.code(), r.err());
    assertEquals(Optional.of(Credentials.basic("alice", "pa:ss")),
        seen.get().registryOptions().credentials());
    assertEquals(Set.of("registry.lan:5000", "docker.io", "registry.example.com"),
        seen.get().registryOptions().insecureRegistries());
  }

  @Test
  void tlsVerifyAloneKeepsVerification() throws Exception {
    pullDownloads(Images.image(false), false);
    h.run("pull", "--tls-verify", "localhost:5000/app");
    assertEquals(Set.of(), seen.get().registryOptions().insecureRegistries());
  }

  @Test
  void badCredsAreRefusedWithoutEchoingThem() throws Exception {
    CliHarness.Result r = h.run("pull", "--creds", "alice-s3cr3tpass", "alpine");
    assertEquals(1, r.code());
    assertEquals("error: --creds must be USERNAME:PASSWORD; the password is missing\n", r.err());
    r = h.run("pull", "--creds=alice:", "alpine");
    assertEquals("error: --creds must be USERNAME:PASSWORD; the password is empty\n", r.err());
    r = h.run("pull", "--creds", ":s3cr3t", "alpine");
    assertEquals("error: --creds must be USERNAME:PASSWORD; the username is empty\n", r.err());
    verify(h.pull, never()).pull(any());
  }

  @Test
  void theCredentialsNeverAppearInAnyOutput() throws Exception {
    when(h.pull.pull(any())).thenThrow(new RegistryException(RegistryException.Kind.UNAUTHORIZED,
        "registry.example.com refused the login for team/app", "check the user and token", null));
    String[][] runs = {
        {"--debug", "pull", "--creds", "alice:Sup3rS3cret", "registry.example.com/team/app"},
        {"pull", "--creds", "alice:Sup3rS3cret"},
        {"pull", "--creds=alice:Sup3rS3cret", "--bogus", "x"},
        {"pull", "--cred", "alice:Sup3rS3cret", "x"},
        {"pull", "--cred=alice:Sup3rS3cret", "x"},
        {"pull", "x", "--creds", "alice:Sup3rS3cret", "extra", "args"},
        {"pull", "--creds", "alice:Sup3rS3cret", "--creds", "bob:0th3rS3cret", "x"},
    };
    for (String[] args : runs) {
      CliHarness.Result r = h.run(args);
      assertEquals(1, r.code(), String.join(" ", args));
      assertFalse(r.out().contains("S3cret") || r.err().contains("S3cret"),
          String.join(" ", args) + "\n" + r.err());
    }
  }

  @Test
  void insecureRegistryMustBeAHost() throws Exception {
    CliHarness.Result r = h.run("pull", "--insecure-registry", "http://registry.lan", "alpine");
    assertEquals(1, r.code());
    assertEquals("error: --insecure-registry takes a host[:port], not a URL: http://registry.lan\n"
        + "hint: drop the scheme: --insecure-registry registry.lan\n", r.err());
    r = h.run("pull", "--insecure-registry", "myregistry", "alpine");
    assertTrue(r.err().startsWith("error: --insecure-registry \"myregistry\" is not a registry"
        + " host"), r.err());
    r = h.run("pull", "--insecure-registry", "host/path", "alpine");
    assertEquals("error: --insecure-registry \"host/path\" is not a host[:port]\n", r.err());
  }

  @Test
  void registryErrorsShowTheHintAndNoStackTrace() throws Exception {
    when(h.pull.pull(any())).thenThrow(new RegistryException(RegistryException.Kind.UNAUTHORIZED,
        "registry.example.com refused the login for team/app", "check the user and token", null));
    CliHarness.Result r = h.run("pull", "--progress=plain", "registry.example.com/team/app");
    assertEquals(1, r.code());
    assertEquals("error: registry.example.com refused the login for team/app\n"
        + "hint: check the user and token\n", r.err());
    assertEquals("Using default tag: latest\n", r.out());
  }

  @Test
  void progressGoesToStderrAsJsonWithRawjson() throws Exception {
    pullDownloads(Images.image(false), false);
    CliHarness.Result r = h.run("pull", "--progress", "rawjson", "alpine:3");
    String[] lines = r.err().split("\n");
    assertEquals(2, lines.length, r.err());
    assertTrue(lines[0].startsWith("{\"type\":\"transfer.started\""), lines[0]);
    assertTrue(r.out().endsWith("docker.io/library/alpine:3\n"), r.out());
  }

  @Test
  void withRawjsonTheErrorIsTheLastJsonEvent() throws Exception {
    when(h.pull.pull(any())).thenAnswer(inv -> {
      PullImage.Command c = inv.getArgument(0);
      c.events().accept(new BuildEvent.TransferStarted("3f2a1b2c3d4e", "pulling 3f2a1b2c3d4e",
          10));
      throw new RegistryException(RegistryException.Kind.UNAUTHORIZED,
          "registry.example.com refused the login", "check the token", null);
    });
    CliHarness.Result r = h.run("pull", "--progress=rawjson", "registry.example.com/app:1");
    assertEquals(1, r.code());
    assertEquals("{\"type\":\"transfer.started\",\"time\":\"2026-01-02T03:04:05.000Z\","
        + "\"transfer\":\"3f2a1b2c3d4e\",\"text\":\"pulling 3f2a1b2c3d4e\",\"total\":10}\n"
        + "{\"type\":\"error\",\"time\":\"2026-01-02T03:04:05.000Z\","
        + "\"text\":\"registry.example.com refused the login\",\"hint\":\"check the token\"}\n",
        r.err());
  }

  @Test
  void progressDefaultComesFromTheEnvironment() throws Exception {
    pullDownloads(Images.image(false), false);
    h.env.put("ZLAYER_PROGRESS", "rawjson");
    CliHarness.Result r = h.run("pull", "alpine:3");
    assertTrue(r.err().startsWith("{\"type\":\"transfer.started\""), r.err());
    h.env.put("ZLAYER_PROGRESS", "fancy");
    r = h.run("pull", "alpine:3");
    assertEquals(1, r.code());
    assertEquals("error: ZLAYER_PROGRESS=fancy is not a progress type: expected one of auto, tty,"
        + " plain, rawjson, quiet\n", r.err());
  }

  @Test
  void autoProgressOnATerminalDrawsTheLiveView() throws Exception {
    pullDownloads(Images.image(false), false);
    h.terminal = io.zlayer.adapters.cli.progress.Terminal.fixed(true, true, 80, 24);
    CliHarness.Result r = h.run("pull", "alpine");
    assertTrue(r.err().contains("[+] Pulling alpine:latest"), r.err());
    assertTrue(r.err().contains("\u001b[?25h"), r.err());
  }
}
