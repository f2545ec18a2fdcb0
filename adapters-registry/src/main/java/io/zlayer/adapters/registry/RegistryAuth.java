package io.zlayer.adapters.registry;

import io.zlayer.adapters.registry.RegistryJson.TokenBody;
import io.zlayer.application.port.Credentials;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Authorization of one session. Knows the registry's challenge (from the ping or a 401) and
 * answers with Basic credentials or a bearer token for the session's scope
 * ({@code repository:<name>:pull} or {@code pull,push}) plus any extra scopes (a mount's source).
 *
 * <p>Tokens come from the challenge's realm the way Docker gets them: {@code GET} with
 * {@code service}, {@code scope} and Basic credentials (or none, for anonymous pulls), or
 * {@code POST} of an OAuth2 refresh-token grant when the login is an identity token.
 */
final class RegistryAuth {
  @FunctionalInterface
  interface Login {
    Optional<Credentials> get() throws RegistryException;
  }

  private static final long MIN_TOKEN_SECONDS = 60;

  private final Login login;
  private final Set<String> sessionScopes;
  private final TokenCache cache;
  private final TokenApi tokenApi;
  private final RegistryErrors errors;
  private final HostPolicy policy;
  private final Clock clock;
  private volatile List<AuthChallenge> challenges = List.of();

  RegistryAuth(Login login, String repository, boolean push, TokenCache cache, TokenApi tokenApi,
      RegistryErrors errors, HostPolicy policy, Clock clock) {
    this.login = login;
    this.sessionScopes = Set.of("repository:" + repository + (push ? ":pull,push" : ":pull"));
    this.cache = cache;
    this.tokenApi = tokenApi;
    this.errors = errors;
    this.policy = policy;
    this.clock = clock;
  }

  void challenged(List<AuthChallenge> fresh) {
    challenges = List.copyOf(fresh);
  }

  List<AuthChallenge> challenges() {
    return challenges;
  }

  /** The Authorization header for a registry request, if the registry asks for one. */
  Optional<String> header(Set<String> extraScopes) throws RegistryException {
    List<AuthChallenge> current = challenges;
    for (AuthChallenge c : current) {
      if (c.isBearer()) {
        return Optional.of("Bearer " + token(c, scopes(extraScopes)).value());
      }
    }
    for (AuthChallenge c : current) {
      if (c.isBasic()) {
        Optional<Credentials> creds = login.get();
        if (creds.isPresent() && !creds.get().identityToken()) {
          return Optional.of(basic(creds.get()));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Learns from a 401 and says whether one more attempt may succeed: when nothing was sent and
   * now something can be, or when a bearer token was refused (it is dropped and fetched anew).
   * A refused Basic login is final.
   */
  boolean retryAfterUnauthorized(List<String> wwwAuthenticate, Set<String> extraScopes,
      Optional<String> sent) throws RegistryException {
    List<AuthChallenge> fresh = AuthChallenge.parse(wwwAuthenticate);
    if (!fresh.isEmpty()) {
      challenges = fresh;
    }
    if (sent.isEmpty()) {
      return header(extraScopes).isPresent();
    }
    if (sent.get().startsWith("Bearer ")) {
      cache.invalidate(sent.get().substring("Bearer ".length()));
      return challenges.stream().anyMatch(AuthChallenge::isBearer);
    }
    return false;
  }

  private List<String> scopes(Set<String> extra) {
    TreeSet<String> all = new TreeSet<>(sessionScopes);
    all.addAll(extra);
    return List.copyOf(all);
  }

  private TokenCache.Token token(AuthChallenge challenge, List<String> scopes)
      throws RegistryException {
    String realm = challenge.param("realm").orElseThrow(() -> errors.exception(Kind.PROTOCOL,
        "registry " + policy.registry() + " sent a bearer challenge without a realm"));
    Optional<String> service = challenge.param("service");
    Optional<Credentials> creds = login.get();
    TokenCache.Key key = new TokenCache.Key(realm, service.orElse(""), scopes, creds);
    return cache.get(key, () -> fetch(realm, service, scopes, creds));
  }

  private TokenCache.Token fetch(String realm, Optional<String> service, List<String> scopes,
      Optional<Credentials> creds) throws RegistryException {
    URI realmUri;
    try {
      realmUri = URI.create(realm);
    } catch (IllegalArgumentException e) {
      realmUri = null;
    }
    if (realmUri == null || !realmUri.isAbsolute() || realmUri.getHost() == null) {
      throw errors.exception(Kind.PROTOCOL, "registry " + policy.registry()
          + " named an invalid token service \"" + realm + "\"");
    }
    policy.checkScheme(realmUri, "the token service of " + policy.registry());
    String what = "token service " + HostPolicy.hostPort(realmUri);
    final URI target = realmUri;
    TokenBody body;
    if (creds.isPresent() && creds.get().identityToken()) {
      StringBuilder form = new StringBuilder("grant_type=refresh_token")
          .append("&refresh_token=").append(encode(creds.get().secret()))
          .append("&client_id=zlayer");
      service.ifPresent(s -> form.append("&service=").append(encode(s)));
      form.append("&scope=").append(encode(String.join(" ", scopes)));
      body = FeignBridge.call(() -> tokenApi.post(target, form.toString()), errors, what);
    } else {
      Map<String, Object> query = new LinkedHashMap<>();
      service.ifPresent(s -> query.put("service", s));
      query.put("scope", new ArrayList<>(scopes));
      creds.ifPresent(c -> query.put("account", c.username()));
      String authorization = creds.map(RegistryAuth::basic).orElse(null);
      body = FeignBridge.call(() -> tokenApi.get(target, query, authorization), errors, what);
    }
    if (body == null) {
      throw errors.exception(Kind.PROTOCOL, what + " returned no token");
    }
    String token = body.token() != null && !body.token().isBlank() ? body.token()
        : body.accessToken();
    if (token == null || token.isBlank()) {
      throw errors.exception(Kind.PROTOCOL, what + " returned no token");
    }
    errors.remember(token);
    if (body.refreshToken() != null) {
      errors.remember(body.refreshToken());
    }
    long seconds = body.expiresIn() == null ? MIN_TOKEN_SECONDS
        : Math.max(body.expiresIn(), MIN_TOKEN_SECONDS);
    return new TokenCache.Token(token, clock.instant().plusSeconds(seconds));
  }

  static String basic(Credentials c) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
