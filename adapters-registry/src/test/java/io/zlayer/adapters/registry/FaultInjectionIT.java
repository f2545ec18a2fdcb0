package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.testing.LocalRegistry;
import io.zlayer.domain.image.Digest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A push and a pull through a proxy that drops connections (mid-request and mid-response) and
 * answers 500/503/429 for a share of the requests, in front of a real registry.
 */
class FaultInjectionIT {
  @Test
  void pushAndPullSurviveAnUnreliableNetwork() throws Exception {
    Fixtures fx = new Fixtures();
    try (LocalRegistry r = LocalRegistry.start(false);
        FaultProxy proxy = new FaultProxy(r.port(), FaultProxy.randomPlan(20260301, 0.15, 0.15))) {
      RetryPolicy retry = fx.settings().retry().withMaxAttempts(12)
          .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50));
      RegistryClientSettings s = fx.settings().withRetry(retry)
          .withChunking(400 << 10, 128 << 10);
      TestImage image = TestImage.generate(7, 20_000, 300_000, 1_500_000, 2_000_000);
      RegistryRepository push = new HttpRegistry(Fixtures.none(), s).repository(
          Fixtures.ref(proxy.host(), "zlayer/flaky"), RegistryOptions.DEFAULT, true);
      Digest pushed = image.push(push, "v1", Optional.empty());
      assertEquals(image.manifest().digest(), pushed);

      RegistryRepository pull = new HttpRegistry(Fixtures.none(), s).repository(
          Fixtures.ref(proxy.host(), "zlayer/flaky"), RegistryOptions.DEFAULT, false);
      image.pullAndCompare(pull, "v1");

      // the registry itself holds the same image, read without the proxy
      RegistryRepository direct = new HttpRegistry(Fixtures.none(), fx.settings()).repository(
          Fixtures.ref(r.host(), "zlayer/flaky"), RegistryOptions.DEFAULT, false);
      assertEquals(pushed, direct.fetchManifest("v1").digest());
      image.pullAndCompare(direct, "v1");
      assertTrue(proxy.faults() >= 10, "faults injected: " + proxy.faults() + " of "
          + proxy.requests());
      System.out.println("fault proxy: " + proxy.faults() + " faults in " + proxy.requests()
          + " requests");
    }
  }
}
