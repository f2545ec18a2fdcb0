package io.zlayer.adapters.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The two JDK HTTP clients every registry session shares: one verifying TLS certificates and
 * host names, one that does not (for insecure and loopback hosts). Redirects are never followed
 * here, so the caller decides where credentials go. HTTP/1.1 keeps parallel blob transfers on
 * separate connections.
 */
final class HttpEngine {
  private final RegistryClientSettings settings;
  // made on first use: building a client (TLS set-up, a selector thread) is a visible part of
  // a run's start, and most builds never talk to a registry
  private HttpClient verified;
  private HttpClient unverified;

  HttpEngine(RegistryClientSettings settings) {
    this.settings = settings;
  }

  private synchronized HttpClient client(boolean verifyTls) {
    if (verifyTls) {
      if (verified == null) {
        HttpClient.Builder v = base(settings);
        settings.tls().ifPresent(v::sslContext);
        verified = v.build();
      }
      return verified;
    }
    if (unverified == null) {
      unverified = base(settings).sslContext(trustEverything()).build();
    }
    return unverified;
  }

  /** How many clients were made so far (0, 1 or 2). */
  synchronized int clientsMade() {
    return (verified == null ? 0 : 1) + (unverified == null ? 0 : 1);
  }

  private static HttpClient.Builder base(RegistryClientSettings settings) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.connectTimeout());
  }

  HttpResponse<InputStream> send(HttpRequest request, boolean verifyTls)
      throws IOException, InterruptedException {
    return client(verifyTls).send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  /**
   * A context whose trust manager accepts every certificate. Being an extended trust manager,
   * it also replaces the JDK's host name check, which lives in the trust manager.
   */
  private static SSLContext trustEverything() {
    X509ExtendedTrustManager all = new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {all}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot create a TLS context", e);
    }
  }
}
