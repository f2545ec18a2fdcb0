package io.zlayer.adapters.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A loopback HTTP/1.1 proxy that misbehaves on purpose: per request it may answer an error
 * status itself, cut the request body after some bytes, or cut the response after some bytes
 * (closing both sides). One request per connection ({@code Connection: close}), request bodies
 * with {@code Content-Length} only; bodies are streamed, never buffered.
 */
final class FaultProxy implements AutoCloseable {
  /** What to do with one request. */
  sealed interface Fault permits Pass, Status, CutRequest, CutResponse {}

  record Pass() implements Fault {}

  /** Answer {@code code} without forwarding ({@code retryAfter} seconds when >= 0). */
  record Status(int code, int retryAfter) implements Fault {}

  /** Forward the head and {@code bodyBytes} of the body, then drop both connections. */
  record CutRequest(long bodyBytes) implements Fault {}

  /** Forward the request, relay {@code fraction} of the response bytes, then drop. */
  record CutResponse(double fraction) implements Fault {}

  /** The first line (split in three) and headers of a request or response. */
  record Head(String method, String target, String rest, List<String> headerLines) {
    String header(String name) {
      for (String h : headerLines) {
        int colon = h.indexOf(':');
        if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return h.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private final ServerSocket listener;
  private final int upstreamPort;
  private final Function<Head, Fault> plan;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger faults = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean closed;

  private final boolean rejectTls;

  FaultProxy(int upstreamPort, Function<Head, Fault> plan) throws IOException {
    this(InetAddress.getLoopbackAddress(), upstreamPort, plan, false);
  }

  /**
   * @param rejectTls answer a TLS ClientHello with a plain 400, as Go's HTTP server does (the
   *     JDK's HttpServer instead waits for a line end that never comes)
   */
  FaultProxy(InetAddress bind, int upstreamPort, Function<Head, Fault> plan, boolean rejectTls)
      throws IOException {
    this.upstreamPort = upstreamPort;
    this.plan = plan;
    this.rejectTls = rejectTls;
    this.listener = new ServerSocket(0, 50, bind);
    pool.submit(this::acceptLoop);
  }

  /**
   * A seeded random plan: {@code statusShare} of requests get 500, 503 or 429, {@code cutShare}
   * get a cut request (when they have a body) or a cut response.
   */
  static Function<Head, Fault> randomPlan(long seed, double statusShare, double cutShare) {
    Random random = new Random(seed);
    return head -> {
      double r;
      int pick;
      double fraction;
      synchronized (random) {
        r = random.nextDouble();
        pick = random.nextInt(3);
        fraction = random.nextDouble();
      }
      if (r < statusShare) {
        return new Status(new int[] {500, 503, 429}[pick], pick == 2 ? 0 : -1);
      }
      if (r < statusShare + cutShare) {
        String length = head.header("Content-Length");
        long len = length == null ? 0 : Long.parseLong(length);
        if (len > 0 && pick != 0) {
          return new CutRequest((long) (len * fraction));
        }
        return new CutResponse(fraction);
      }
      return new Pass();
    };
  }

  String host() {
    return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
  }

  int port() {
    return listener.getLocalPort();
  }

  int faults() {
    return faults.get();
  }

  int requests() {
    return requests.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        pool.submit(() -> serve(client));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      java.io.PushbackInputStream in = new java.io.PushbackInputStream(client.getInputStream());
      int first = in.read();
      if (first < 0) {
        return;
      }
      if (rejectTls && first == 0x16) {
        client.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        return;
      }
      in.unread(first);
      Head head = readHead(in);
      if (head == null) {
        return;
      }
      requests.incrementAndGet();
      Fault fault = plan.apply(head);
      if (!(fault instanceof Pass)) {
        faults.incrementAndGet();
      }
      String length = head.header("Content-Length");
      long bodyLength = length == null ? 0 : Long.parseLong(length.trim());
      if (fault instanceof Status s) {
        skip(in, bodyLength);
        String extra = s.retryAfter() >= 0 ? "Retry-After: " + s.retryAfter() + "\r\n" : "";
        String body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected\"}]}";
        String resp = "HTTP/1.1 " + s.code() + " Injected\r\nContent-Type: application/json\r\n"
            + extra + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        client.getOutputStream().write(resp.getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
        return;
      }
      try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
        OutputStream up = upstream.getOutputStream();
        StringBuilder sb = new StringBuilder(head.method() + " " + head.target() + head.rest()
            + "\r\n");
        for (String h : head.headerLines()) {
          String name = h.substring(0, Math.max(h.indexOf(':'), 0)).trim().toLowerCase(Locale.ROOT);
          if (!name.equals("connection") && !name.equals("keep-alive")
              && !name.equals("upgrade") && !name.equals("http2-settings")) {
            sb.append(h).append("\r\n");
          }
        }
        sb.append("Connection: close\r\n\r\n");
        up.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (fault instanceof CutRequest cut) {
          copy(in, up, Math.min(cut.bodyBytes(), bodyLength));
          up.flush();
          upstream.setSoLinger(true, 0);
          return;
        }
        copy(in, up, bodyLength);
        up.flush();
        InputStream down = upstream.getInputStream();
        OutputStream out = client.getOutputStream();
        // The client must not keep this connection: it is closed after one exchange.
        byte[] answerHead = responseHead(down);
        if (fault instanceof CutResponse cut) {
          byte[] rest = down.readAllBytes();
          byte[] all = new byte[answerHead.length + rest.length];
          System.arraycopy(answerHead, 0, all, 0, answerHead.length);
          System.arraycopy(rest, 0, all, answerHead.length, rest.length);
          int n = (int) Math.max(1, Math.min(all.length - 1, all.length * cut.fraction()));
          out.write(all, 0, n);
          out.flush();
          // a plain close: the client reads what was sent, then meets the early end
          return;
        }
        out.write(answerHead);
        down.transferTo(out);
        out.flush();
      }
    } catch (IOException e) {
      // the client or the registry went away; nothing to do
    }
  }

  /** The response's status line and headers, with {@code Connection: close} forced. */
  private static byte[] responseHead(InputStream in) throws IOException {
    Head h = readHead(in);
    if (h == null) {
      throw new IOException("no response from upstream");
    }
    StringBuilder sb = new StringBuilder(h.method() + " " + h.target() + h.rest() + "\r\n");
    for (String line : h.headerLines()) {
      if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
        sb.append(line).append("\r\n");
      }
    }
    sb.append("Connection: close\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    List<String> lines = new ArrayList<>();
    int prev = -1;
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n' && prev == '\r') {
        byte[] raw = line.toByteArray();
        String s = new String(raw, 0, raw.length - 1, StandardCharsets.ISO_8859_1);
        if (s.isEmpty()) {
          break;
        }
        lines.add(s);
        line.reset();
      } else {
        line.write(b);
      }
      prev = b;
    }
    if (lines.isEmpty()) {
      return null;
    }
    String[] first = lines.get(0).split(" ", 3);
    return new Head(first[0], first.length > 1 ? first[1] : "",
        first.length > 2 ? " " + first[2] : "", lines.subList(1, lines.size()));
  }

  private static void copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[64 << 10];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new IOException("client body ended early");
      }
      out.write(buf, 0, r);
      left -= r;
    }
  }

  private static void skip(InputStream in, long n) throws IOException {
    copy(in, OutputStream.nullOutputStream(), n);
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing
    }
    pool.shutdownNow();
  }
}
