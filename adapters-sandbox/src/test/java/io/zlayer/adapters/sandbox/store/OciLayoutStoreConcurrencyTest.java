package io.zlayer.adapters.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads, several processes and kill -9 against one store. */
class OciLayoutStoreConcurrencyTest {
  @TempDir Path dir;

  @Test
  void manyThreadsWriteTagUntagAndPruneAtOnce() throws Exception {
    Path root = dir.resolve("store");
    int threads = 8;
    int perThread = 12;
    ConcurrentHashMap<String, Descriptor> expected = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String prefix = "t" + t;
        long seed = t;
        writers.add(pool.submit(() -> {
          // Each thread its own instance, as separate components of one process would have.
          OciLayoutStore store = new OciLayoutStore(root);
          Random random = new Random(seed);
          for (int i = 0; i < perThread; i++) {
            Descriptor m = StoreHammer.writeImage(store, prefix, i, random);
            store.tag(StoreHammer.name(prefix, i), m);
            expected.put(prefix + ":" + i, m);
            if (i >= 2 && i % 2 == 0) {
              store.untag(StoreHammer.name(prefix, i - 2));
              expected.remove(prefix + ":" + (i - 2));
            }
          }
          return null;
        }));
      }
      Future<Integer> pruner = pool.submit(() -> {
        OciLayoutStore store = new OciLayoutStore(root);
        int runs = 0;
        while (writing.get()) {
          store.prune();
          runs++;
        }
        return runs;
      });
      for (Future<?> f : writers) {
        f.get(2, TimeUnit.MINUTES);
      }
      writing.set(false);
      assertTrue(pruner.get(1, TimeUnit.MINUTES) > 0);
    } finally {
      pool.shutdownNow();
    }

    OciLayoutStore store = new OciLayoutStore(root);
    StoreChecks.filesAreSound(root);
    for (var e : expected.entrySet()) {
      String[] parts = e.getKey().split(":");
      assertEquals(Optional.of(e.getValue()),
          store.resolve(StoreHammer.name(parts[0], Integer.parseInt(parts[1]))), e.getKey());
    }
    assertEquals(expected.size(), store.list().size());
    Set<Digest> reachable = StoreChecks.rootsAreComplete(store);
    store.prune();
    assertEquals(reachable, StoreChecks.blobFiles(root),
        "after the writers are done, prune leaves exactly what the roots reach");
    assertEquals(List.of(), StoreChecks.list(root.resolve(".zlayer/ingest")));
  }

  @Test
  void twoProcessesHammeringOneStoreLeaveEveryTag() throws Exception {
    Path root = dir.resolve("store");
    int count = 25;
    Process a = hammer(root, "alpha", count, 1, false);
    Process b = hammer(root, "beta", count, 2, false);
    OciLayoutStore store = new OciLayoutStore(root);
    // This process prunes meanwhile: it must never take a blob from under the writers.
    while (a.isAlive() || b.isAlive()) {
      if (Files.exists(root.resolve("index.json"))) {
        store.prune();
      }
      Thread.sleep(5);
    }
    assertEquals(0, a.waitFor(), () -> "alpha failed: " + stderr("alpha"));
    assertEquals(0, b.waitFor(), () -> "beta failed: " + stderr("beta"));

    StoreChecks.filesAreSound(root);
    for (String prefix : List.of("alpha", "beta")) {
      for (int i = 0; i < count; i++) {
        assertTrue(store.resolve(StoreHammer.name(prefix, i)).isPresent(), prefix + ":" + i);
      }
    }
    assertEquals(2 * count, store.list().size());
    Set<Digest> reachable = StoreChecks.rootsAreComplete(store);
    store.prune();
    StoreChecks.noLeftovers(root);
    assertEquals(reachable, StoreChecks.blobFiles(root));
  }

  @Test
  void killNineAtRandomMomentsNeverCorruptsTheStore() throws Exception {
    Path root = dir.resolve("store");
    Random random = new Random(42);
    OciLayoutStore store = new OciLayoutStore(root);
    for (int round = 0; round < 6; round++) {
      Process p = hammer(root, "crash" + round, 0, round, true);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String first = out.readLine();
        if (first == null) {
          fail("the writer died before its first tag: " + stderr("crash" + round));
        }
        Thread.sleep(20 + random.nextInt(500));
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      }

      StoreChecks.filesAreSound(root);
      StoreChecks.rootsAreComplete(new OciLayoutStore(root));
      store.prune();
      StoreChecks.noLeftovers(root);
      StoreChecks.filesAreSound(root);
      assertEquals(StoreChecks.rootsAreComplete(store), StoreChecks.blobFiles(root));
      assertTrue(store.resolve(StoreHammer.name("crash" + round, 0)).isPresent()
          || store.list().stream().noneMatch(i -> i.name().isEmpty()));
    }
  }

  private Process hammer(Path root, String prefix, int count, long seed, boolean churn)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-Xshare:off",
        "-cp", System.getProperty("java.class.path"), StoreHammer.class.getName(),
        root.toString(), prefix, Integer.toString(count), Long.toString(seed),
        Boolean.toString(churn));
    pb.redirectError(dir.resolve(prefix + ".stderr").toFile());
    if (count > 0) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    return pb.start();
  }

  private String stderr(String prefix) {
    try {
      return Files.readString(dir.resolve(prefix + ".stderr"));
    } catch (java.io.IOException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
