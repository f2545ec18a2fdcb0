package io.zlayer.adapters.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A JDK {@link HttpServer} (or HTTPS server) on a free port, with routes tests program and a
 * record of every request it saw (headers included, to check what was or was not sent).
 */
final class FakeServer implements AutoCloseable {
  /** A request as the server saw it; body only when the route read it via {@link Ex#body()}. */
  record Seen(String method, URI uri, Map<String, List<String>> headers) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    String path() {
      return uri.getPath();
    }
  }

  @FunctionalInterface
  interface Route {
    void handle(Ex ex) throws IOException;
  }

  private record Entry(String method, Pattern path, Route route) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Entry> routes = new CopyOnWriteArrayList<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final String scheme;

  FakeServer() throws IOException {
    this(InetAddress.getLoopbackAddress(), null);
  }

  FakeServer(InetAddress bind, SSLContext tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress(bind, 0);
    if (tls != null) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
      scheme = "https";
    } else {
      server = HttpServer.create(address, 0);
      scheme = "http";
    }
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  /** {@code 127.0.0.1:PORT} (the address it listens on). */
  String host() {
    String addr = server.getAddress().getAddress().getHostAddress();
    if (addr.contains(":")) {
      addr = "[" + addr + "]";
    }
    return addr + ":" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI uri(String path) {
    return URI.create(scheme + "://" + host() + path);
  }

  /** Adds a route; routes added later take precedence. */
  FakeServer route(String method, String pathRegex, Route route) {
    routes.add(0, new Entry(method, Pattern.compile(pathRegex), route));
    return this;
  }

  List<Seen> requests() {
    return new ArrayList<>(seen);
  }

  List<Seen> requests(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    return seen.stream().filter(s -> s.method().equals(method)
        && p.matcher(s.path()).matches()).toList();
  }

  void clearRequests() {
    seen.clear();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    Seen s = new Seen(exchange.getRequestMethod(), exchange.getRequestURI(),
        Map.copyOf(exchange.getRequestHeaders()));
    seen.add(s);
    try {
      for (Entry e : routes) {
        if (!e.method().equals("*") && !e.method().equals(exchange.getRequestMethod())) {
          continue;
        }
        Matcher m = e.path().matcher(exchange.getRequestURI().getPath());
        if (m.matches()) {
          e.route().handle(new Ex(exchange, m, s));
          return;
        }
      }
      new Ex(exchange, null, s).text(404, "no route");
    } catch (IOException | RuntimeException e) {
      exchange.close();
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** One exchange, with helpers for common answers. */
  static final class Ex {
    final HttpExchange exchange;
    final Matcher match;
    final Seen seen;

    Ex(HttpExchange exchange, Matcher match, Seen seen) {
      this.exchange = exchange;
      this.match = match;
      this.seen = seen;
    }

    String group(int i) {
      return match.group(i);
    }

    String method() {
      return exchange.getRequestMethod();
    }

    String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }

    String query(String name) {
      String q = exchange.getRequestURI().getRawQuery();
      if (q == null) {
        return null;
      }
      for (String part : q.split("&")) {
        int eq = part.indexOf('=');
        String k = eq < 0 ? part : part.substring(0, eq);
        if (java.net.URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
          return eq < 0 ? "" : java.net.URLDecoder.decode(part.substring(eq + 1),
              StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    List<String> queryAll(String name) {
      String q = exchange.getRequestURI().getRawQuery();
      List<String> out = new ArrayList<>();
      if (q == null) {
        return out;
      }
      for (String part : q.split("&")) {
        int eq = part.indexOf('=');
        String k = eq < 0 ? part : part.substring(0, eq);
        if (java.net.URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
          out.add(eq < 0 ? "" : java.net.URLDecoder.decode(part.substring(eq + 1),
              StandardCharsets.UTF_8));
        }
      }
      return out;
    }

    byte[] body() throws IOException {
      return exchange.getRequestBody().readAllBytes();
    }

    Ex responseHeader(String name, String value) {
      exchange.getResponseHeaders().add(name, value);
      return this;
    }

    void status(int code) throws IOException {
      boolean head = method().equals("HEAD");
      exchange.sendResponseHeaders(code, head || code == 204 ? -1 : 0);
      exchange.close();
    }

    void bytes(int code, byte[] data) throws IOException {
      if (method().equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", String.valueOf(data.length));
        exchange.sendResponseHeaders(code, -1);
        exchange.close();
        return;
      }
      exchange.sendResponseHeaders(code, data.length == 0 ? -1 : data.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(data);
      }
    }

    void text(int code, String s) throws IOException {
      bytes(code, s.getBytes(StandardCharsets.UTF_8));
    }

    void json(int code, String s) throws IOException {
      responseHeader("Content-Type", "application/json");
      text(code, s);
    }

    /** Drops the connection without an answer (nothing was sent yet). */
    void drop() {
      exchange.close();
    }
  }
}
