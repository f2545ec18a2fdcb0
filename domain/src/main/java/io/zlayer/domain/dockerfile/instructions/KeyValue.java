package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;

/**
 * One ENV or LABEL pair, in the order written.
 *
 * @param key the name (never blank after parsing)
 * @param value the value, possibly empty
 * @param legacyForm true for the space-separated {@code ENV key value} form (no {@code =})
 */
public record KeyValue(String key, String value, boolean legacyForm) {

  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
