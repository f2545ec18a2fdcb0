package io.zlayer.adapters.registry.credentials;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zlayer.application.port.Credentials;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One login file: Docker's {@code config.json} or a containers {@code auth.json}. Both hold
 * {@code auths} ({@code {"auth": base64("user:password")}} or an {@code identitytoken}) and
 * {@code credHelpers}; Docker's may name a default {@code credsStore}.
 *
 * <p>Lookup for a registry, as Docker does: its {@code credHelpers} entry, else the
 * {@code credsStore}, else the {@code auths} entry. In Docker's file, keys compare by host
 * (scheme and path dropped); in containers files, keys with a path name one namespace and are
 * not used for a whole registry.
 */
final class LoginFile {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path path;
  private final boolean dockerStyle;
  private final Map<String, JsonNode> auths;
  private final Map<String, String> credHelpers;
  private final Optional<String> credsStore;

  private LoginFile(Path path, boolean dockerStyle, Map<String, JsonNode> auths,
      Map<String, String> credHelpers, Optional<String> credsStore) {
    this.path = path;
    this.dockerStyle = dockerStyle;
    this.auths = auths;
    this.credHelpers = credHelpers;
    this.credsStore = credsStore;
  }

  /** The file's content, or empty when it does not exist. */
  static Optional<LoginFile> read(Path path, boolean dockerStyle) throws RegistryException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (!Files.exists(path)) {
        return Optional.empty();
      }
      throw broken(path, "cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      return Optional.of(new LoginFile(path, dockerStyle, Map.of(), Map.of(), Optional.empty()));
    }
    JsonNode doc;
    try {
      doc = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the file's content (a password); only say where.
      JsonLocation at = e.getLocation();
      throw broken(path, "malformed JSON" + (at == null ? ""
          : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    } catch (IOException e) {
      throw broken(path, "cannot read it");
    }
    if (doc == null || !doc.isObject()) {
      throw broken(path, "it is not a JSON object");
    }
    Map<String, JsonNode> auths = new LinkedHashMap<>();
    JsonNode a = doc.get("auths");
    if (a != null && a.isObject()) {
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        auths.put(e.getKey(), e.getValue());
      }
    }
    Map<String, String> helpers = new LinkedHashMap<>();
    JsonNode h = doc.get("credHelpers");
    if (h != null && h.isObject()) {
      for (Map.Entry<String, JsonNode> e : h.properties()) {
        if (e.getValue().isTextual() && !e.getValue().asText().isBlank()) {
          helpers.put(e.getKey(), e.getValue().asText().trim());
        }
      }
    }
    JsonNode store = doc.get("credsStore");
    Optional<String> credsStore = store != null && store.isTextual() && !store.asText().isBlank()
        ? Optional.of(store.asText().trim()) : Optional.empty();
    return Optional.of(new LoginFile(path, dockerStyle, auths, helpers, credsStore));
  }

  Path path() {
    return path;
  }

  /** The login for a normalized registry host, if this file has one. */
  Optional<Credentials> lookup(String host, Map<String, String> env) throws RegistryException {
    Optional<String> helperKey = matchingKey(credHelpers.keySet(), host);
    if (helperKey.isPresent()) {
      DockerCredentialProgram helper = new DockerCredentialProgram(credHelpers.get(helperKey.get()), env);
      Optional<Credentials> c = helper.get(helperKey.get(), host, path);
      if (c.isPresent()) {
        return c;
      }
    }
    Optional<String> authKey = matchingKey(auths.keySet(), host);
    if (credsStore.isPresent()) {
      String serverUrl = authKey.orElse(RegistryKeys.helperServerUrl(host));
      Optional<Credentials> c = new DockerCredentialProgram(credsStore.get(), env)
          .get(serverUrl, host, path);
      if (c.isPresent()) {
        return c;
      }
    }
    if (authKey.isPresent()) {
      return entry(authKey.get(), auths.get(authKey.get()));
    }
    return Optional.empty();
  }

  /** The key naming {@code host}; an exact {@code host} key wins over other spellings. */
  private Optional<String> matchingKey(Iterable<String> keys, String host) {
    Optional<String> found = Optional.empty();
    for (String key : keys) {
      if (!dockerStyle && RegistryKeys.isNamespaced(key)) {
        continue;
      }
      if (!RegistryKeys.normalize(key).equals(host)) {
        continue;
      }
      if (key.trim().equalsIgnoreCase(host)) {
        return Optional.of(key);
      }
      if (found.isEmpty()) {
        found = Optional.of(key);
      }
    }
    return found;
  }

  private Optional<Credentials> entry(String key, JsonNode e) throws RegistryException {
    if (e == null || !e.isObject()) {
      return Optional.empty();
    }
    String identityToken = text(e, "identitytoken");
    if (!identityToken.isEmpty()) {
      return Optional.of(Credentials.identityToken(identityToken));
    }
    String auth = text(e, "auth");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException ex) {
        throw broken(path, "the \"auth\" of " + key + " is not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw broken(path, "the \"auth\" of " + key + " is not base64 of user:password");
      }
      return Optional.of(Credentials.basic(decoded.substring(0, colon),
          decoded.substring(colon + 1)));
    }
    String user = text(e, "username");
    String password = text(e, "password");
    if (!user.isEmpty() && !password.isEmpty()) {
      return Optional.of(Credentials.basic(user, password));
    }
    return Optional.empty();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static RegistryException broken(Path path, String why) {
    return new RegistryException(Kind.UNAUTHORIZED, "invalid login file " + path + ": " + why,
        "fix or remove the file, or pass --creds USER:PASSWORD", null);
  }
}
