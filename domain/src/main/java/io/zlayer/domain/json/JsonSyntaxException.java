package io.zlayer.domain.json;

/**
 * Malformed JSON. Callers turn it into the error of their context (an image format error, a
 * Dockerfile error) since only they know what the text was.
 */
public final class JsonSyntaxException extends Exception {
  public JsonSyntaxException(String message) {
    super(message);
  }
}
