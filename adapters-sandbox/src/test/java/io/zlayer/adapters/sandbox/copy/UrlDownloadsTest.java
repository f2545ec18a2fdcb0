package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlDownloadsTest {
  @TempDir Path temp;

  @Test
  void theHttpClientIsMadeOnTheFirstDownloadOnly() throws Exception {
    AtomicInteger made = new AtomicInteger();
    UrlDownloads downloads = new UrlDownloads(temp.resolve("downloads"), () -> {
      made.incrementAndGet();
      return HttpClient.newHttpClient();
    });
    assertEquals(0, made.get(), "building a copier costs no HTTP client");
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/f.txt", exchange -> {
      byte[] body = "hello\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/f.txt";
      UrlDownloads.Download first = downloads.fetch(url);
      UrlDownloads.Download second = downloads.fetch(url);
      assertEquals("hello\n", Files.readString(first.file()));
      assertEquals(first.sha256(), second.sha256());
      assertEquals(1, made.get());
    } finally {
      server.stop(0);
    }
  }
}
