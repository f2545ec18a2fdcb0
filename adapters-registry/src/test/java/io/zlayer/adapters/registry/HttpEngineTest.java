package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HttpEngineTest {
  @Test
  void clientsAreMadeOnFirstUseOnly() throws Exception {
    HttpEngine engine = new HttpEngine(RegistryClientSettings.DEFAULT);
    assertEquals(0, engine.clientsMade(), "a session that never sends costs no client");
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      HttpRequest request = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/")).build();
      for (int i = 0; i < 2; i++) {
        HttpResponse<InputStream> response = engine.send(request, false);
        response.body().close();
        assertEquals(200, response.statusCode());
        assertEquals(1, engine.clientsMade());
      }
      engine.send(request, true).body().close();
      assertEquals(2, engine.clientsMade());
    } finally {
      server.stop(0);
    }
  }
}
