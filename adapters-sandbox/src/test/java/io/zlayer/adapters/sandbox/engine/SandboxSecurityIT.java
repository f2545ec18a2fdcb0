package io.zlayer.adapters.sandbox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.SecretSource;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.LayerCompression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a RUN can see of the host and what the host can see of a RUN's secrets, with real
 * bubblewrap and busybox (needs root).
 */
@Timeout(180)
class SandboxSecurityIT {
  @TempDir Path temp;
  private EngineHarness h;

  @BeforeAll
  static void realParts() {
    RealParts.require("bwrap");
    RealParts.require("unshare");
    RealParts.require("busybox");
    RealParts.requireRoot();
  }

  @BeforeEach
  void harness() throws Exception {
    h = new EngineHarness(temp);
  }

  private static BuildOptions secrets(SecretSource... secrets) {
    return new BuildOptions(false, ImageFormat.OCI, LayerCompression.GZIP, List.of(secrets),
        Map.of(), Optional.empty(), Map.of(), Optional.empty(), RegistryOptions.DEFAULT);
  }

  @Test
  void secretsNeverShowOnAHostProcessNorInLayersCacheOrEvents() throws Exception {
    String fileValue = "file-s3cr3t-" + System.nanoTime();
    String envValue = "env-s3cr3t-" + System.nanoTime();
    Path secretFile = Files.writeString(temp.resolve("token"), fileValue);
    BuildOptions options = secrets(new SecretSource.FromFile("tok", secretFile),
        new SecretSource.FromEnvironment("envtok", "ENVTOK", envValue));
    // env= from both kinds of source, and a file secret; the step lives long enough to be seen
    String dockerfile = "FROM busybox\n"
        + "RUN --mount=type=secret,id=envtok,env=TOKEN --mount=type=secret,id=tok,env=FILETOKEN "
        + "--mount=type=secret,id=tok "
        + "test -n \"$TOKEN\" && test \"$FILETOKEN\" = \"$(cat /run/secrets/tok)\" "
        + "&& echo ok > /ok && sleep 3\n";

    ProcessScan scan = new ProcessScan(List.of(fileValue, envValue));
    Thread scanner = new Thread(scan, "proc-scanner");
    scanner.setDaemon(true);
    scanner.start();
    BuiltImage image;
    try {
      image = h.build(dockerfile).options(options).run();
    } finally {
      scan.stop.set(true);
      scanner.join(10_000);
    }
    assertTrue(scan.sawSandboxWithSecret.get(), "the scan saw the step's own environment "
        + "(proof that it looks where the values would be), after " + scan.scans + " scans");
    assertEquals(List.of(), List.copyOf(scan.leaks), "secret values in host processes");

    String layers = h.allLayerText(image);
    assertTrue(layers.contains("ok"), "the step ran");
    for (String value : List.of(fileValue, envValue)) {
      assertFalse(layers.contains(value), "no layer holds the secret");
      assertFalse(h.eventText().contains(value), "no event holds the secret");
      assertEquals(List.of(), filesContaining(h.dir, value, Set.of(secretFile)));
    }
  }

  @Test
  void secretValuesAreNotPartOfTheStepCacheKey() throws Exception {
    String dockerfile = "FROM busybox\n"
        + "RUN --mount=type=secret,id=envtok,env=TOKEN test -n \"$TOKEN\" && echo ran\n";
    h.build(dockerfile).options(secrets(
        new SecretSource.FromEnvironment("envtok", "ENVTOK", "first-value"))).run();
    assertEquals(List.of("ran"), h.output());
    BuiltImage again = h.build(dockerfile).options(secrets(
        new SecretSource.FromEnvironment("envtok", "ENVTOK", "second-value"))).run();
    assertEquals(List.of(), h.output(), "as in BuildKit, another secret value is a cache hit");
    assertEquals(again.steps(), again.cachedSteps());
    try (Stream<Path> files = Files.walk(h.settings.stepCacheDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("first-value") || text.contains("second-value"), f.toString());
      }
    }
  }

  @Test
  void runSeesNeitherTheStoreNorTheHostHomeNorZlayersEnvironment() throws Exception {
    String suffix = Long.toString(System.nanoTime());
    String canary = "canary-" + suffix;
    // credentials and state a zlayer process has on the host
    Path dockerConfig = Files.createDirectories(temp.resolve("docker"));
    Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":\"" + canary + "\"}");
    Files.writeString(temp.resolve("store").resolve("canary"), canary);
    Files.writeString(Files.createDirectories(h.settings.root()).resolve("canary"), canary);
    Path hostHome = Path.of(System.getProperty("user.home"));
    List<String> hostHomeEntries = list(hostHome);
    assertFalse(hostHomeEntries.isEmpty(), "the host home has something to hide: " + hostHome);
    String probed = String.join(" ", temp.toString(), temp.resolve("store").toString(),
        h.settings.root().toString(), dockerConfig.toString(),
        hostHome.resolve(hostHomeEntries.get(0)).toString(), "/root/.docker/config.json",
        "/run/user/0", "/work");
    // Neither the step's command lines nor a file it can find may hold the canary itself: the
    // shell joins it into a pattern file on a tmpfs that the search skips.
    String dockerfile = "FROM busybox\n"
        + "RUN --mount=type=tmpfs,target=/pattern c=canary-; printf %s \"${c}" + suffix
        + "\" > /pattern/p; for p in " + probed + "; do test -e \"$p\" && echo \"visible $p\"; "
        + "done; echo home: $(ls -A /root); "
        + "find / -path /proc -prune -o -path /sys -prune -o -path /pattern -prune -o -type f "
        + "-exec grep -l -f /pattern/p {} +; "
        + "cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline | tr '\\0' '\\n' | grep -c -f /pattern/p; "
        + "env | cut -d= -f1 | sort | tr '\\n' ' '; echo\n";
    h.run(dockerfile);
    List<String> out = h.output();
    // The IT JVM carries ZLAYER_SHARED_DIR (see the failsafe configuration); only the step's own
    // variables (ENV, PATH and HOME defaults) and what busybox sh adds may show.
    assertEquals(List.of("home:", "0", "HOME PATH PWD SHLVL "), out, String.join("\n", out));
    assertTrue(System.getenv().keySet().stream().anyMatch(k -> k.startsWith("ZLAYER_")),
        "the test JVM has a ZLAYER_ variable that the step must not get: " + System.getenv()
            .keySet());
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(e -> names.add(e.getFileName().toString()));
    }
    names.sort(null);
    return names;
  }

  private static List<Path> filesContaining(Path root, String value, Set<Path> except)
      throws IOException {
    byte[] needle = value.getBytes(StandardCharsets.UTF_8);
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!except.contains(f) && indexOf(Files.readAllBytes(f), needle) >= 0) {
          out.add(f);
        }
      }
    }
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Reads {@code /proc/<pid>/cmdline} and {@code environ} of every process, again and again:
   * those in our PID namespace (zlayer, unshare, the setup shell, bubblewrap's monitor) must not
   * hold a secret; the step's processes, in the sandbox's namespace, must (the positive control).
   */
  private static final class ProcessScan implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicBoolean sawSandboxWithSecret = new AtomicBoolean();
    final ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
    final AtomicInteger scans = new AtomicInteger();
    private final List<byte[]> values;

    ProcessScan(List<String> values) {
      this.values = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void run() {
      Path ownNamespace;
      try {
        ownNamespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid"));
      } catch (IOException e) {
        leaks.add("cannot read our PID namespace: " + e);
        return;
      }
      Set<String> reported = new TreeSet<>();
      while (!stop.get()) {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
          for (Path proc : procs) {
            check(proc, ownNamespace, reported);
          }
        } catch (IOException e) {
          // /proc itself is always there; a failure is retried
        }
        scans.incrementAndGet();
      }
    }

    private void check(Path proc, Path ownNamespace, Set<String> reported) {
      try {
        boolean host = Files.readSymbolicLink(proc.resolve("ns/pid")).equals(ownNamespace);
        for (String file : List.of("cmdline", "environ")) {
          byte[] content = Files.readAllBytes(proc.resolve(file));
          for (byte[] value : values) {
            if (indexOf(content, value) < 0) {
              continue;
            }
            if (!host) {
              sawSandboxWithSecret.set(true);
            } else {
              String what = proc + "/" + file + ": " + new String(
                  Arrays.copyOf(content, Math.min(content.length, 2000)),
                  StandardCharsets.UTF_8).replace('\0', ' ');
              if (reported.add(what)) {
                leaks.add(what);
              }
            }
          }
        }
      } catch (IOException e) {
        // the process ended while we looked
      }
    }
  }
}
