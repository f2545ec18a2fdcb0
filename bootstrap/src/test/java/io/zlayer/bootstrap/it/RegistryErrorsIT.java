package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.testing.LocalRegistry;
import io.zlayer.domain.image.ImageReference;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong credentials, unknown repositories, unreachable registries and malformed references
 * each give one clear line and exit 1, never a stack trace, never the password.
 */
class RegistryErrorsIT {
  @TempDir Path dir;

  @Test
  void authRegistryTakesTheRightLoginAndRefusesAWrongOne() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(true)) {
      ImageReference name = ImageReference.parse(registry.host() + "/private/busybox:1");
      BusyboxImage.writeInto(new OciLayoutStore(dir.resolve("home/store")), name, dir);
      ZlayerJar zlayer = new ZlayerJar(dir.resolve("home"));

      ZlayerJar.Result anonymous = zlayer.run("push", name.toString()).userError();
      assertTrue(anonymous.errorLine().contains("authentication required"), anonymous.err());

      String wrong = "not-the-password-4711";
      ZlayerJar.Result refused = zlayer.run("push", "--creds", LocalRegistry.USER + ":" + wrong,
          name.toString()).userError();
      assertTrue(refused.errorLine().contains(registry.host()), refused.err());
      assertFalse(refused.err().contains(wrong) || refused.out().contains(wrong));

      String good = LocalRegistry.USER + ":" + LocalRegistry.PASSWORD;
      zlayer.run("push", "--creds", good, name.toString()).ok();
      ZlayerJar other = new ZlayerJar(dir.resolve("other"));
      ZlayerJar.Result pulled = other.run("--debug", "pull", "--creds", good, name.toString())
          .ok();
      assertFalse(pulled.err().contains(LocalRegistry.PASSWORD), "password in debug output");
      other.run("pull", name.toString()).userError();
    }
  }

  @Test
  void unknownRepositoryIsNotFound() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(false)) {
      ZlayerJar.Result r = new ZlayerJar(dir.resolve("home"))
          .run("pull", registry.host() + "/no/such:1").userError();
      assertTrue(r.errorLine().contains("not found"), r.err());
      assertTrue(r.errorLine().contains(registry.host() + "/no/such"), r.err());
    }
  }

  @Test
  void unreachableRegistryNamesTheHost() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ZlayerJar.Result r = new ZlayerJar(dir.resolve("home"))
        .run("pull", "127.0.0.1:" + port + "/x/y:1").userError();
    assertTrue(r.errorLine().contains("127.0.0.1:" + port), r.err());
  }

  @Test
  void malformedReferencesAreUserErrors() throws Exception {
    ZlayerJar zlayer = new ZlayerJar(dir.resolve("home"));
    assertTrue(zlayer.run("pull", "team/Upper:1").userError().errorLine()
        .contains("must be lowercase"));
    zlayer.run("pull", "bad::ref").userError();
    zlayer.run("tag", "nothing-here:1", "x:y").userError();
    zlayer.run("push", "--creds", "nopassword", "x/y:1").userError();
  }
}
