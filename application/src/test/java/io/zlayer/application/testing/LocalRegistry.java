package io.zlayer.application.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real CNCF distribution registry (Debian's {@code docker-registry}) on a free loopback port,
 * with its storage in a temporary directory, optionally behind htpasswd Basic auth. Start it
 * with {@link #start(boolean)}; {@link #close()} stops it and deletes its storage. The process
 * also dies with the test JVM.
 */
public final class LocalRegistry implements AutoCloseable {
  public static final String USER = "zlayer";
  public static final String PASSWORD = "zlayer-test-secret";

  private final Process process;
  private final Path dir;
  private final int port;
  private final boolean auth;

  private LocalRegistry(Process process, Path dir, int port, boolean auth) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.auth = auth;
  }

  public static LocalRegistry start(boolean withAuth) throws IOException, InterruptedException {
    Path binary = RealParts.require("docker-registry");
    Path dir = Files.createTempDirectory("zlayer-registry");
    int port = freePort();
    StringBuilder cfg = new StringBuilder();
    cfg.append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data"))
        .append("\n  delete:\n    enabled: true\n")
        .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
    if (withAuth) {
      Path htpasswd = dir.resolve("htpasswd");
      try (InputStream in = LocalRegistry.class.getResourceAsStream("htpasswd")) {
        Files.write(htpasswd, in.readAllBytes());
      }
      cfg.append("auth:\n  htpasswd:\n    realm: zlayer-test\n    path: ").append(htpasswd)
          .append('\n');
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, cfg.toString(), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(binary.toString(), "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile())
        .start();
    LocalRegistry r = new LocalRegistry(p, dir, port, withAuth);
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        String log = Files.readString(dir.resolve("registry.log"));
        r.close();
        throw new IOException("docker-registry exited at start: " + log);
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return r;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    r.close();
    throw new IOException("docker-registry did not listen on 127.0.0.1:" + port + " within 30 s");
  }

  /** {@code 127.0.0.1:PORT}, the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public boolean requiresAuth() {
    return auth;
  }

  public Path storage() {
    return dir.resolve("data");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: the directory is under target/
    }
  }
}
