package io.zlayer.adapters.registry;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One request a session makes. Redirects are followed for GET and HEAD only (and not when
 * {@code followRedirects} is off).
 *
 * @param uri absolute
 * @param extraScopes token scopes needed beyond the session's own (a mount's source)
 * @param retry whether the transport may repeat it on connection errors, 429 and 5xx; uploads
 *     pass false and recover themselves, since a failed PATCH may have been half applied
 * @param authorize whether the registry's Authorization goes along (not for token services)
 */
record Call(String method, URI uri, Map<String, List<String>> headers, Optional<RequestBody> body,
    Set<String> extraScopes, boolean retry, boolean authorize, boolean followRedirects) {

  Call {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    extraScopes = Set.copyOf(extraScopes);
  }

  static Call get(URI uri) {
    return new Call("GET", uri, Map.of(), Optional.empty(), Set.of(), true, true, true);
  }

  static Call head(URI uri) {
    return new Call("HEAD", uri, Map.of(), Optional.empty(), Set.of(), true, true, true);
  }

  Call withHeader(String name, String value) {
    Map<String, List<String>> h = new LinkedHashMap<>(headers);
    h.put(name, List.of(value));
    return new Call(method, uri, h, body, extraScopes, retry, authorize, followRedirects);
  }

  Call withBody(RequestBody b) {
    return new Call(method, uri, headers, Optional.of(b), extraScopes, retry, authorize,
        followRedirects);
  }

  Call withMethod(String m) {
    return new Call(m, uri, headers, body, extraScopes, retry, authorize, followRedirects);
  }

  Call withRetry(boolean r) {
    return new Call(method, uri, headers, body, extraScopes, r, authorize, followRedirects);
  }

  Call withScopes(Set<String> scopes) {
    return new Call(method, uri, headers, body, scopes, retry, authorize, followRedirects);
  }

  Call unauthorized() {
    return new Call(method, uri, headers, body, extraScopes, retry, false, followRedirects);
  }

  Call withoutRedirects() {
    return new Call(method, uri, headers, body, extraScopes, retry, authorize, false);
  }

  boolean followsRedirects() {
    return followRedirects && (method.equals("GET") || method.equals("HEAD"));
  }
}
