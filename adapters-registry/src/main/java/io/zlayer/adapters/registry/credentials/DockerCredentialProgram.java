package io.zlayer.adapters.registry.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zlayer.application.port.Credentials;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code docker-credential-<name>} program, asked with {@code get}: the server URL on stdin,
 * {@code {"ServerURL":…,"Username":…,"Secret":…}} on stdout. "credentials not found" means no
 * login. A username of {@code <token>} marks an identity token.
 */
final class DockerCredentialProgram {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String name;
  private final Map<String, String> env;

  DockerCredentialProgram(String name, Map<String, String> env) {
    this.name = name;
    this.env = env;
  }

  String program() {
    return "docker-credential-" + name;
  }

  Optional<Credentials> get(String serverUrl, String host, Path configuredIn)
      throws RegistryException {
    Path exe = find().orElseThrow(() -> new RegistryException(Kind.UNAUTHORIZED,
        "credential helper " + program() + " (configured in " + configuredIn
            + ") is not on PATH", "install it or remove it from " + configuredIn, null));
    ProcessBuilder pb = new ProcessBuilder(exe.toString(), "get");
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw failure(host, "cannot start it: " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> stdout = drain(p.getInputStream());
    CompletableFuture<byte[]> stderr = drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // a helper may exit without reading its input; its exit status tells
    }
    try {
      if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw failure(host, "no answer within " + TIMEOUT.toSeconds() + " s", null);
      }
      String out = new String(stdout.get(), StandardCharsets.UTF_8).trim();
      String err = new String(stderr.get(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        String text = out.isEmpty() ? err : out;
        if (text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw failure(host, "exit status " + p.exitValue() + (text.isEmpty() ? ""
            : ": " + firstLine(text)), null);
      }
      return parse(out, host);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw failure(host, "interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw failure(host, "cannot read its output", e);
    }
  }

  private Optional<Credentials> parse(String out, String host) throws RegistryException {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(out);
    } catch (IOException e) {
      throw failure(host, "its answer is not JSON", null);
    }
    if (doc == null || !doc.isObject()) {
      throw failure(host, "its answer is not a JSON object", null);
    }
    String user = text(doc, "Username");
    String secret = text(doc, "Secret");
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    if (user.equals("<token>")) {
      return Optional.of(Credentials.identityToken(secret));
    }
    return Optional.of(Credentials.basic(user, secret));
  }

  private static String text(JsonNode doc, String field) {
    JsonNode n = doc.get(field);
    return n == null || n.isNull() ? "" : n.asText();
  }

  private Optional<Path> find() {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program());
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private RegistryException failure(String host, String why, Throwable cause) {
    return new RegistryException(Kind.UNAUTHORIZED, "credential helper " + program()
        + " failed for " + host + ": " + why, null, cause);
  }

  private static String firstLine(String s) {
    String line = s.lines().findFirst().orElse("").trim();
    return line.length() > 200 ? line.substring(0, 197) + "..." : line;
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return in.readNBytes(1 << 20);
      } catch (IOException e) {
        return new byte[0];
      }
    }, r -> {
      Thread t = new Thread(r, "credential-helper-output");
      t.setDaemon(true);
      t.start();
    });
  }
}
