package io.zlayer.adapters.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/** The JSON documents of the distribution API that zlayer reads (Feign decodes them). */
final class RegistryJson {
  private RegistryJson() {}

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** {@code {"errors":[{"code":…,"message":…,"detail":…}]}}; Docker Hub's token service uses
   * {@code {"details":"…"}} instead. */
  record ErrorsBody(List<ErrorEntry> errors, String details) {
    ErrorsBody {
      errors = errors == null ? List.of() : List.copyOf(errors);
    }

    static final ErrorsBody EMPTY = new ErrorsBody(List.of(), null);
  }

  record ErrorEntry(String code, String message, JsonNode detail) {}

  /** A token service's answer (Docker's {@code token}, OAuth2's {@code access_token}). */
  record TokenBody(
      @JsonProperty("token") String token,
      @JsonProperty("access_token") String accessToken,
      @JsonProperty("expires_in") Long expiresIn,
      @JsonProperty("issued_at") String issuedAt,
      @JsonProperty("refresh_token") String refreshToken) {

    @Override
    public String toString() {
      return "TokenBody[****]";
    }
  }

  /** One page of {@code GET /v2/<name>/tags/list}. */
  record TagList(String name, List<String> tags) {
    TagList {
      tags = tags == null ? List.of() : List.copyOf(tags);
    }
  }
}
