package io.zlayer.adapters.registry;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker-style token service: GET with optional Basic credentials, or POST with an OAuth2
 * refresh-token grant; issues numbered tokens and remembers which are valid.
 */
final class TokenServer implements AutoCloseable {
  final FakeServer server;
  final Set<String> valid = ConcurrentHashMap.newKeySet();
  final AtomicInteger issued = new AtomicInteger();
  volatile String user = "alice";
  volatile String password = "pa55-w0rd-secret";
  volatile String refreshToken = "refresh-token-secret";
  volatile boolean allowAnonymous = true;
  volatile long expiresIn = 300;

  TokenServer() throws IOException {
    server = new FakeServer();
    server.route("GET", "/token", this::get);
    server.route("POST", "/token", this::post);
  }

  String realm() {
    return server.uri("/token").toString();
  }

  String challenge(String service) {
    return "Bearer realm=\"" + realm() + "\",service=\"" + service + "\"";
  }

  private void get(FakeServer.Ex ex) throws IOException {
    String auth = ex.header("Authorization");
    if (auth == null) {
      if (!allowAnonymous) {
        ex.json(401, "{\"details\":\"authentication required\"}");
        return;
      }
    } else {
      String expected = "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password).getBytes(StandardCharsets.UTF_8));
      if (!auth.equals(expected)) {
        ex.json(401, "{\"details\":\"incorrect username or password\"}");
        return;
      }
    }
    issue(ex);
  }

  private void post(FakeServer.Ex ex) throws IOException {
    String form = new String(ex.body(), StandardCharsets.UTF_8);
    String grant = null;
    String token = null;
    for (String kv : form.split("&")) {
      String[] p = kv.split("=", 2);
      String v = p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "";
      if (p[0].equals("grant_type")) {
        grant = v;
      } else if (p[0].equals("refresh_token")) {
        token = v;
      }
    }
    if (!"refresh_token".equals(grant) || !refreshToken.equals(token)) {
      ex.json(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad refresh token\"}]}");
      return;
    }
    issue(ex);
  }

  private void issue(FakeServer.Ex ex) throws IOException {
    String token = "tok-" + issued.incrementAndGet();
    valid.add(token);
    ex.json(200, "{\"token\":\"" + token + "\",\"expires_in\":" + expiresIn
        + ",\"issued_at\":\"2026-03-01T10:00:00Z\"}");
  }

  boolean accepts(String authorization) {
    return authorization != null && authorization.startsWith("Bearer ")
        && valid.contains(authorization.substring(7));
  }

  List<FakeServer.Seen> requests() {
    return server.requests();
  }

  @Override
  public void close() {
    server.close();
  }
}
