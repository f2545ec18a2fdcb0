package io.zlayer.adapters.registry;

import io.zlayer.application.port.CredentialSource;
import io.zlayer.application.port.Credentials;
import io.zlayer.domain.image.ImageReference;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/** Settings that make tests fast (recorded sleeps, no real waiting) and observable (trace). */
final class Fixtures {
  final List<String> trace = new CopyOnWriteArrayList<>();
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  RegistryClientSettings settings() {
    RetryPolicy retry = RetryPolicy.DEFAULT.withSleeper(sleeps::add).withRandom(new Random(7))
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    long t0 = System.nanoTime();
    return RegistryClientSettings.DEFAULT.withRetry(retry).withTrace(line -> {
      trace.add(line);
      if (Boolean.getBoolean("zlayer.test.trace")) {
        System.out.printf("%6d ms %s%n", (System.nanoTime() - t0) / 1_000_000, line);
      }
    });
  }

  static ImageReference ref(String host, String repository) {
    return new ImageReference(host, repository, Optional.of("latest"), Optional.empty());
  }

  static CredentialSource none() {
    return registry -> Optional.empty();
  }

  static CredentialSource login(String user, String password) {
    return registry -> Optional.of(Credentials.basic(user, password));
  }
}
