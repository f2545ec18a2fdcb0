package io.zlayer.adapters.registry;

import io.zlayer.application.port.Credentials;
import io.zlayer.domain.error.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens by token service, scope set and login, until shortly before they expire.
 * Shared by all sessions of an {@link HttpRegistry}; one fetch per key at a time, so parallel
 * transfers starting together ask the token service once.
 */
final class TokenCache {
  /** Tokens are renewed this long before their expiry, so none expires in flight. */
  private static final Duration MARGIN = Duration.ofSeconds(10);

  record Key(String realm, String service, List<String> scopes, Optional<Credentials> login) {
    Key {
      scopes = scopes.stream().sorted().toList();
    }

    @Override
    public String toString() {
      return "Key[" + realm + ", " + service + ", " + scopes + "]";
    }
  }

  record Token(String value, Instant expires) {
    @Override
    public String toString() {
      return "Token[****, " + expires + "]";
    }
  }

  @FunctionalInterface
  interface Fetch {
    Token fetch() throws RegistryException;
  }

  private final ConcurrentHashMap<Key, Token> tokens = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, Object> locks = new ConcurrentHashMap<>();
  private final Clock clock;

  TokenCache(Clock clock) {
    this.clock = clock;
  }

  Token get(Key key, Fetch fetch) throws RegistryException {
    Token t = tokens.get(key);
    if (valid(t)) {
      return t;
    }
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      t = tokens.get(key);
      if (valid(t)) {
        return t;
      }
      Token fresh = fetch.fetch();
      tokens.put(key, fresh);
      return fresh;
    }
  }

  /** Forgets a token the registry refused (so the next request fetches a new one). */
  void invalidate(String value) {
    tokens.values().removeIf(t -> t.value().equals(value));
  }

  private boolean valid(Token t) {
    return t != null && clock.instant().plus(MARGIN).isBefore(t.expires());
  }
}
