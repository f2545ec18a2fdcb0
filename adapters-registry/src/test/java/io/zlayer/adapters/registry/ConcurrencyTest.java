package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.port.TransferListener;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One session used by several threads at once, as the push and pull use cases do. */
class ConcurrencyTest {
  @Test
  void parallelTransfersShareOneSessionAndOneToken() throws Exception {
    Fixtures fx = new Fixtures();
    try (FakeDistribution registry = new FakeDistribution(); TokenServer tokens = new TokenServer();
        FaultProxy proxy = new FaultProxy(registry.server.port(),
            FaultProxy.randomPlan(42, 0.1, 0.1))) {
      registry.challenge = tokens.challenge("svc");
      registry.authorized = tokens::accepts;
      registry.strictUploadState = false;
      RegistryRepository repo = new HttpRegistry(Fixtures.login(tokens.user, tokens.password),
          fx.settings().withChunking(20_000, 8_000).withRetry(fx.settings().retry()
              .withMaxAttempts(10)))
          .repository(Fixtures.ref(proxy.host(), "team/app"), RegistryOptions.DEFAULT, true);
      int n = 8;
      List<byte[]> contents = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        contents.add(TestBlobs.random(5_000 + i * 6_000, 100 + i));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> pushes = new ArrayList<>();
        for (byte[] c : contents) {
          pushes.add(pool.submit((Callable<Void>) () -> {
            go.await();
            repo.pushBlob(TestBlobs.stream(c), java.util.Optional.empty(), TransferListener.NONE);
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : pushes) {
          f.get();
        }
        List<Future<byte[]>> pulls = new ArrayList<>();
        for (byte[] c : contents) {
          pulls.add(pool.submit(() -> {
            TestBlobs.MemoryWriter w = new TestBlobs.MemoryWriter();
            repo.fetchBlob(Descriptor.of("x", Digest.sha256(c), c.length), w,
                TransferListener.NONE);
            return w.bytes();
          }));
        }
        for (int i = 0; i < n; i++) {
          assertArrayEquals(contents.get(i), pulls.get(i).get());
          assertArrayEquals(contents.get(i), registry.blobs.get(Digest.sha256(contents.get(i))
              .toString()));
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(1, tokens.issued.get(), "parallel requests waited for one token");
    }
  }
}
