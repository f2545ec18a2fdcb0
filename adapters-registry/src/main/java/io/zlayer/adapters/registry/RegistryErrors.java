package io.zlayer.adapters.registry;

import io.zlayer.adapters.registry.RegistryJson.ErrorEntry;
import io.zlayer.adapters.registry.RegistryJson.ErrorsBody;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Turns HTTP failures into one-line {@link RegistryException}s naming the registry, repository
 * and what was asked for. Every text passes through the session's {@link SecretScrubber}.
 */
final class RegistryErrors {
  private final SecretScrubber scrubber;
  private final HostPolicy policy;

  RegistryErrors(SecretScrubber scrubber, HostPolicy policy) {
    this.scrubber = scrubber;
    this.policy = policy;
  }

  /** A secret learnt during the session (a token), to be masked from now on. */
  void remember(String secret) {
    scrubber.add(secret);
  }

  String scrub(String text) {
    return scrubber.scrub(text);
  }

  /** An error status from a token service. */
  RegistryException forTokenStatus(int status, ErrorsBody body, Subject s, String host) {
    if (status == 401 || status == 403) {
      return forStatus(status, ErrorsBody.EMPTY, s);
    }
    String detail = detail(body);
    if (status == 429 || status >= 500) {
      return exception(Kind.UNREACHABLE, "token service " + host + " failed with HTTP " + status
          + " for " + s.repository() + detail);
    }
    return exception(Kind.PROTOCOL, "token service " + host + " answered HTTP " + status
        + " for " + s.repository() + detail);
  }

  RegistryException exception(Kind kind, String message, String hint, Throwable cause) {
    return new RegistryException(kind, scrubber.scrub(message), scrubber.scrub(hint), cause);
  }

  RegistryException exception(Kind kind, String message) {
    return exception(kind, message, null, null);
  }

  /** An error status from the registry (after retries), with its decoded error body. */
  RegistryException forStatus(int status, ErrorsBody body, Subject s) {
    Set<String> codes = codes(body);
    String detail = detail(body);
    switch (status) {
      case 401:
        return exception(Kind.UNAUTHORIZED, "authentication required for " + s.repository()
            + " (wrong or missing credentials)", "log in with \"docker login " + s.registry()
            + "\" or \"podman login " + s.registry() + "\", or pass --creds USER:PASSWORD",
            null);
      case 403:
        return exception(Kind.DENIED, "access to " + s.repository() + " denied"
            + (s.push() ? " (push)" : "") + detail, s.push()
            ? "check that your login may push to " + s.repository() : null, null);
      case 404:
        return notFound(codes, s);
      case 429:
        return exception(Kind.UNREACHABLE, "registry " + s.registry()
            + " is rate limiting requests (429 Too Many Requests) for " + s.noun() + " "
            + s.display() + detail, "wait a while and try again", null);
      default:
        break;
    }
    if (status >= 500) {
      return exception(Kind.UNREACHABLE, "registry " + s.registry() + " failed with HTTP "
          + status + " for " + s.noun() + " " + s.display() + detail);
    }
    if (codes.contains("DIGEST_INVALID")) {
      return exception(Kind.DIGEST_MISMATCH, "registry " + s.registry() + " rejected "
          + s.noun() + " " + s.display() + ": the content does not match its digest" + detail);
    }
    if (codes.contains("MANIFEST_BLOB_UNKNOWN") || codes.contains("BLOB_UNKNOWN")) {
      return exception(Kind.NOT_FOUND, "registry " + s.registry() + " rejected " + s.noun()
          + " " + s.display() + ": it references a blob the repository does not have" + detail);
    }
    if (codes.contains("BLOB_UPLOAD_UNKNOWN") || codes.contains("BLOB_UPLOAD_INVALID")) {
      return exception(Kind.PROTOCOL, "registry " + s.registry() + " lost the upload of "
          + s.display() + detail);
    }
    return exception(Kind.PROTOCOL, "registry " + s.registry() + " answered HTTP " + status
        + " for " + s.noun() + " " + s.display() + detail);
  }

  private RegistryException notFound(Set<String> codes, Subject s) {
    if (codes.contains("NAME_UNKNOWN") || s.noun().equals("repository")
        || s.noun().equals("tag list")) {
      return exception(Kind.NOT_FOUND, "repository unknown: " + s.repository() + " not found");
    }
    if (s.noun().equals("blob upload")) {
      return exception(Kind.NOT_FOUND, "blob upload unknown: " + s.display() + " not found");
    }
    return exception(Kind.NOT_FOUND, s.noun() + " unknown: " + s.display() + " not found");
  }

  /** A request that got no HTTP answer: connection refused, DNS, TLS, timeouts, resets. */
  RegistryException network(String host, String role, IOException e, Subject s) {
    if (e instanceof Reply.BodyTooLargeException) {
      return exception(Kind.PROTOCOL, role + " " + host + " sent an oversized answer for "
          + s.noun() + " " + s.display() + ": " + e.getMessage());
    }
    SSLException ssl = find(e, SSLException.class);
    if (ssl != null) {
      String hint = policy.registryAllowsPlainHttp() ? null
          : "if " + policy.registry() + " serves plain HTTP or uses a self-signed certificate, "
              + "pass --insecure-registry " + policy.registry();
      return exception(Kind.UNREACHABLE, "TLS connection to " + role + " " + host + " failed: "
          + describe(ssl), hint, e);
    }
    String why;
    if (find(e, HttpConnectTimeoutException.class) != null) {
      why = "connection timed out";
    } else if (find(e, HttpTimeoutException.class) != null) {
      why = "no answer in time";
    } else if (find(e, UnknownHostException.class) != null
        || findAny(e, UnresolvedAddressException.class)) {
      why = "unknown host";
    } else if (find(e, NoRouteToHostException.class) != null) {
      why = "no route to host";
    } else if (find(e, ConnectException.class) != null) {
      why = "connection refused";
    } else {
      why = describe(e);
    }
    return exception(Kind.UNREACHABLE, "cannot reach " + role + " " + host + " (" + s.noun()
        + " " + s.display() + "): " + why, null, e);
  }

  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return oneLine(t.getMessage());
      }
    }
    return e.getClass().getSimpleName();
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean findAny(Throwable e, Class<? extends Throwable> type) {
    return find(e, type) != null;
  }

  private static Set<String> codes(ErrorsBody body) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (ErrorEntry e : body.errors()) {
      if (e.code() != null) {
        out.add(e.code().toUpperCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** ": CODE: message" of the registry's first error, or "" when it sent none. */
  private static String detail(ErrorsBody body) {
    for (ErrorEntry e : body.errors()) {
      String text = (e.code() == null ? "" : e.code() + ": ")
          + (e.message() == null ? "" : e.message());
      if (!text.isBlank()) {
        return ": " + truncate(oneLine(text));
      }
    }
    if (body.details() != null && !body.details().isBlank()) {
      return ": " + truncate(oneLine(body.details()));
    }
    return "";
  }

  static String oneLine(String s) {
    return s.replaceAll("[\\r\\n\\t]+", " ").trim();
  }

  private static String truncate(String s) {
    return s.length() > 200 ? s.substring(0, 197) + "..." : s;
  }
}
