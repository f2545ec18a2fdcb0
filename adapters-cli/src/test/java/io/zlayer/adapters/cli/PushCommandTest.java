package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushCommandTest {
  private final CliHarness h = new CliHarness();
  private final AtomicReference<PushImage.Command> seen = new AtomicReference<>();
  private final Digest pushed = Images.digest("pushed manifest");

  @TempDir
  Path dir;

  @BeforeEach
  void pushSucceeds() throws Exception {
    when(h.push.push(any())).thenAnswer(inv -> {
      PushImage.Command c = inv.getArgument(0);
      seen.set(c);
      c.events().accept(new BuildEvent.TransferStarted("aaaabbbbcccc", "pushing aaaabbbbcccc", 10));
      c.events().accept(new BuildEvent.TransferFinished("aaaabbbbcccc", true));
      return pushed;
    });
  }

  @Test
  void pushesToTheDestinationAndPrintsTheDigestLikeDocker() throws Exception {
    Path file = dir.resolve("app.digest");
    CliHarness.Result r = h.run("push", "--progress=plain", "--digestfile", file.toString(),
        "app:dev", "registry.example.com/team/app:1.0");
    assertEquals(0, r.code(), r.err());
    assertEquals("The push refers to repository [registry.example.com/team/app]\n"
        + "1.0: digest: " + pushed + "\n", r.out());
    assertEquals("#1 pushing aaaabbbbcccc\n#1 CACHED\n", r.err());
    assertEquals(pushed.toString(), Files.readString(file));
    assertEquals("app:dev", seen.get().source());
    assertEquals(Optional.of(Images.ref("registry.example.com/team/app:1.0")),
        seen.get().destination());
  }

  @Test
  void withoutDestinationTheSourceNameIsUsed() {
    CliHarness.Result r = h.run("push", "--progress=quiet", "localhost:5000/app");
    assertEquals("Using default tag: latest\n"
        + "The push refers to repository [localhost:5000/app]\n"
        + "latest: digest: " + pushed + "\n", r.out());
    assertEquals(Optional.empty(), seen.get().destination());
  }

  @Test
  void quietPrintsTheCanonicalReferenceWithDigest() {
    CliHarness.Result r = h.run("-q", "push", "app", "docker://registry.example.com/app:2");
    assertEquals("registry.example.com/app:2@" + pushed + "\n", r.out());
    assertEquals("", r.err());
    assertEquals(Optional.of(Images.ref("registry.example.com/app:2")), seen.get().destination());
  }

  @Test
  void anImageIdNeedsADestinationForTlsVerifyFalse() throws Exception {
    CliHarness.Result r = h.run("push", "--tls-verify=false", "3f2a1b2c3d4e");
    assertEquals(1, r.code());
    assertEquals("error: --tls-verify=false needs to know the registry\n"
        + "hint: name the destination, or use --insecure-registry HOST[:PORT]\n", r.err());
    verify(h.push, never()).push(any());
  }

  @Test
  void tlsVerifyFalseMarksTheDestinationRegistry() {
    h.run("push", "--tls-verify=false", "app", "registry.lan:5000/app");
    assertEquals(Set.of("registry.lan:5000"), seen.get().registryOptions().insecureRegistries());
  }

  @Test
  void otherTransportsAreRefused() throws Exception {
    CliHarness.Result r = h.run("push", "app", "oci-archive:/tmp/app.tar");
    assertEquals(1, r.code());
    assertEquals("error: unsupported destination transport \"oci-archive:\"\n"
        + "hint: push sends images to registries: give NAME[:TAG] or docker://NAME[:TAG]\n",
        r.err());
    verify(h.push, never()).push(any());
  }

  @Test
  void useCaseErrorsKeepTheirHint() throws Exception {
    doThrow(new UsageException("image 3f2a1b2c3d4e has no name to"
        + " push to", "give a destination: zlayer push 3f2a1b2c3d4e REGISTRY/REPO:TAG"))
        .when(h.push).push(any());
    CliHarness.Result r = h.run("push", "--progress=plain", "3f2a1b2c3d4e");
    assertEquals(1, r.code());
    assertEquals("error: image 3f2a1b2c3d4e has no name to push to\n"
        + "hint: give a destination: zlayer push 3f2a1b2c3d4e REGISTRY/REPO:TAG\n", r.err());
    assertEquals("", r.out());
  }
}
