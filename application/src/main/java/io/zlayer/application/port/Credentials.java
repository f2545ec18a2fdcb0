package io.zlayer.application.port;

/**
 * A registry login. Either a username with a password, or an identity token (a refresh token
 * for the token endpoint; then {@code username} is {@code <token>}). {@link #toString()} never
 * shows the secret.
 */
public record Credentials(String username, String secret, boolean identityToken) {
  public static Credentials basic(String username, String password) {
    return new Credentials(username, password, false);
  }

  public static Credentials identityToken(String token) {
    return new Credentials("<token>", token, true);
  }

  @Override
  public String toString() {
    return "Credentials[" + username + ", ****]";
  }
}
