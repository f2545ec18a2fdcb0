package io.zlayer.application.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class LocalRegistryTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anonymousRegistryAnswersV2() throws Exception {
    try (LocalRegistry r = LocalRegistry.start(false)) {
      assertEquals(200, get(r, null));
    }
  }

  @Test
  void authRegistryChallengesAndAcceptsTheTestLogin() throws Exception {
    try (LocalRegistry r = LocalRegistry.start(true)) {
      assertEquals(401, get(r, null));
      String basic = java.util.Base64.getEncoder().encodeToString(
          (LocalRegistry.USER + ":" + LocalRegistry.PASSWORD).getBytes());
      assertEquals(200, get(r, "Basic " + basic));
    }
  }

  private int get(LocalRegistry r, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + r.host() + "/v2/"));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
