package io.zlayer.adapters.registry;

import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The wire side of one repository session: finds the registry's base URL with a ping of
 * {@code /v2/} (which also learns the auth challenge), then sends requests with the right
 * Authorization, follows redirects itself (never carrying the registry's Authorization to
 * another host), refreshes credentials once on 401 and retries transient failures.
 * Thread-safe.
 *
 * <p>Scheme choice: a loopback registry is spoken to over plain HTTP right away (as containerd
 * does for localhost), falling back to HTTPS only when the HTTP ping gets a 400 (a TLS port);
 * an insecure registry gets HTTPS without certificate checks first and plain HTTP when the TLS
 * handshake fails (Docker's order); every other registry gets verified HTTPS only.
 */
final class RegistryConnection implements FeignBridge.Sender {
  private static final int MAX_REDIRECTS = 10;

  private final HostPolicy policy;
  private final HttpEngine engine;
  private final RegistryClientSettings settings;
  private final SecretScrubber scrubber;
  private final RegistryErrors errors;
  private final Subject subject;
  private RegistryAuth auth;
  private volatile URI base;

  RegistryConnection(HostPolicy policy, HttpEngine engine, RegistryClientSettings settings,
      SecretScrubber scrubber, RegistryErrors errors, Subject subject) {
    this.policy = policy;
    this.engine = engine;
    this.settings = settings;
    this.scrubber = scrubber;
    this.errors = errors;
    this.subject = subject;
  }

  void useAuth(RegistryAuth registryAuth) {
    this.auth = registryAuth;
  }

  /** {@code scheme://host[:port]} of the registry, pinging it first if needed. */
  URI base() throws RegistryException {
    ensureReady();
    return base;
  }

  /** {@code <base>/v2/<rest>}. */
  URI api(String rest) throws RegistryException {
    return URI.create(base() + "/v2/" + rest);
  }

  @Override
  public Reply send(Call call) throws IOException, RegistryException {
    if (call.authorize()) {
      ensureReady();
    }
    return sendWithRetries(call);
  }

  private Reply sendWithRetries(Call call) throws IOException, RegistryException {
    RetryPolicy retry = settings.retry();
    int attempt = 1;
    boolean reauthorized = false;
    while (true) {
      Exchange ex;
      try {
        ex = followRedirects(call);
      } catch (IOException e) {
        if (call.retry() && attempt < retry.maxAttempts() && isTransient(e)) {
          pause(call, attempt, Optional.empty(), RegistryErrors.describe(e));
          attempt++;
          continue;
        }
        throw e;
      }
      Reply r = ex.reply();
      if (r.status() == 401 && call.authorize() && ex.registryOrigin() && !reauthorized) {
        reauthorized = true;
        if (auth.retryAfterUnauthorized(r.headerValues("WWW-Authenticate"), call.extraScopes(),
            ex.authorization())) {
          r.close();
          continue;
        }
        return r;
      }
      if ((r.status() == 429 || r.status() >= 500) && call.retry()
          && attempt < retry.maxAttempts()) {
        Optional<Duration> after = RetryAfter.parse(r.header("Retry-After"), retry.clock());
        r.close();
        pause(call, attempt, after, "HTTP " + r.status());
        attempt++;
        continue;
      }
      return r;
    }
  }

  private void pause(Call call, int attempt, Optional<Duration> retryAfter, String why)
      throws InterruptedIOException {
    RetryPolicy retry = settings.retry();
    Duration d = retry.delay(attempt, retryAfter);
    trace("retry " + call.method() + " " + shown(call.uri()) + " in " + d.toMillis() + " ms ("
        + why + ", attempt " + (attempt + 1) + " of " + retry.maxAttempts() + ")");
    sleep(d);
  }

  void sleep(Duration d) throws InterruptedIOException {
    try {
      if (!d.isZero()) {
        settings.retry().sleeper().sleep(d);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** Whether repeating a request that failed this way may help. */
  static boolean isTransient(IOException e) {
    if (Thread.currentThread().isInterrupted() || e instanceof Reply.BodyTooLargeException) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      // a host that took the whole connect timeout will not answer the next attempt either
      if (t instanceof SSLException || t instanceof UnknownHostException
          || t instanceof UnresolvedAddressException || t instanceof HttpConnectTimeoutException) {
        return false;
      }
    }
    return true;
  }

  private record Exchange(Reply reply, Optional<String> authorization, boolean registryOrigin) {}

  private Exchange followRedirects(Call call) throws IOException, RegistryException {
    URI uri = call.uri();
    for (int hop = 0; ; hop++) {
      URI registry = base;
      boolean registryOrigin = registry != null && HostPolicy.sameOrigin(uri, registry);
      policy.checkScheme(uri, purpose(call, registryOrigin));
      Optional<String> authorization = call.authorize() && registryOrigin
          ? auth.header(call.extraScopes()) : Optional.empty();
      HttpRequest request = request(call, uri, authorization,
          HostPolicy.sameOrigin(uri, call.uri()));
      HttpResponse<InputStream> response;
      try {
        response = engine.send(request, policy.verifiesTls(uri));
      } catch (IOException e) {
        trace(call.method() + " " + shown(uri) + authShown(authorization) + " -> failed: "
            + RegistryErrors.describe(e));
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted during " + call.method() + " "
            + shown(uri));
      }
      int status = response.statusCode();
      trace(call.method() + " " + shown(uri) + authShown(authorization) + " -> " + status);
      Optional<String> location = response.headers().firstValue("Location");
      if (isRedirect(status) && call.followsRedirects() && location.isPresent()) {
        response.body().close();
        if (hop >= MAX_REDIRECTS) {
          throw errors.exception(Kind.PROTOCOL, "too many redirects from " + shown(call.uri()));
        }
        try {
          uri = uri.resolve(location.get().trim());
        } catch (IllegalArgumentException e) {
          throw errors.exception(Kind.PROTOCOL, "registry " + policy.registry()
              + " redirected to an invalid URL");
        }
        continue;
      }
      return new Exchange(new Reply(status, response.headers(), response.body(), uri),
          authorization, registryOrigin);
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static String purpose(Call call, boolean registryOrigin) {
    if (registryOrigin) {
      return "the registry API";
    }
    return call.authorize() ? "a redirected request" : "a token or ping request";
  }

  /**
   * @param firstOrigin whether {@code uri} is on the call's own origin; an Authorization the
   *     caller set itself (token services) goes nowhere else
   */
  private HttpRequest request(Call call, URI uri, Optional<String> authorization,
      boolean firstOrigin) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .timeout(settings.responseTimeout())
        .header("User-Agent", settings.userAgent());
    for (Map.Entry<String, List<String>> h : call.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("content-length") || name.equals("host") || name.equals("connection")
          || name.equals("authorization") && (call.authorize() || !firstOrigin)) {
        continue;
      }
      for (String v : h.getValue()) {
        b.header(h.getKey(), v);
      }
    }
    authorization.ifPresent(a -> b.header("Authorization", a));
    if (call.body().isPresent()) {
      b.method(call.method(), call.body().get().publisher());
    } else if (call.method().equals("GET") || call.method().equals("HEAD")) {
      b.method(call.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      b.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(new byte[0]));
    }
    return b.build();
  }

  private synchronized void ensureReady() throws RegistryException {
    if (base != null) {
      return;
    }
    List<URI> candidates = candidates();
    RegistryException failure = null;
    for (int i = 0; i < candidates.size(); i++) {
      URI candidate = candidates.get(i);
      boolean more = i + 1 < candidates.size();
      Call ping = Call.get(URI.create(candidate + "/v2/")).unauthorized();
      try (Reply r = sendWithRetries(ping)) {
        if (r.status() == 400 && candidate.getScheme().equals("http") && more) {
          continue;
        }
        if (r.status() == 429 || r.status() >= 500) {
          throw errors.forStatus(r.status(), RegistryJson.ErrorsBody.EMPTY, subject);
        }
        auth.challenged(r.status() == 401
            ? AuthChallenge.parse(r.headerValues("WWW-Authenticate")) : List.of());
        base = candidate;
        return;
      } catch (IOException e) {
        failure = errors.network(policy.apiHost(), "registry", e, subject);
        // HTTPS first means an insecure registry: any failure moves on to plain HTTP (Docker)
        if (more && (isTls(e) || candidate.getScheme().equals("https"))) {
          continue;
        }
        throw failure;
      }
    }
    throw failure != null ? failure : errors.exception(Kind.UNREACHABLE,
        "cannot reach registry " + policy.apiHost() + ": no usable endpoint");
  }

  private static boolean isTls(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  private List<URI> candidates() {
    URI https = URI.create("https://" + policy.apiHost());
    URI http = URI.create("http://" + policy.apiHost());
    if (policy.loopback()) {
      return List.of(http, https);
    }
    if (policy.insecure()) {
      return List.of(https, http);
    }
    return List.of(https);
  }

  /** Shows a URL for traces and messages: query strings of other hosts (signed storage URLs)
   * are cut. */
  String shown(URI uri) {
    URI registry = base;
    String s = uri.toString();
    if (uri.getRawQuery() != null && (registry == null || !HostPolicy.sameOrigin(uri, registry))) {
      s = s.substring(0, s.indexOf('?')) + "?…";
    }
    return scrubber.scrub(s);
  }

  private static String authShown(Optional<String> authorization) {
    return authorization.map(a -> " [Authorization: " + a.split(" ", 2)[0] + " ****]").orElse("");
  }

  void trace(String line) {
    Optional<Consumer<String>> sink = settings.trace();
    if (sink.isPresent()) {
      sink.get().accept(scrubber.scrub(line));
    }
  }

  HostPolicy policy() {
    return policy;
  }

  RegistryErrors errors() {
    return errors;
  }
}
