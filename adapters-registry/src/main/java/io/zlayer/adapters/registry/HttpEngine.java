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
  private final HttpClient verified;
  private final HttpClient unverified;

  HttpEngine(RegistryClientSettings settings) {
    HttpClient.Builder v = base(settings);
    settings.tls().ifPresent(v::sslContext);
    this.verified = v.build();
    this.unverified = base(settings).sslContext(trustEverything()).build();
  }

  private static HttpClient.Builder base(RegistryClientSettings settings) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.connectTimeout());
  }

  HttpResponse<InputStream> send(HttpRequest request, boolean verifyTls)
      throws IOException, InterruptedException {
    HttpClient client = verifyTls ? verified : unverified;
    return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
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
