package io.zlayer.adapters.registry;

import feign.Headers;
import feign.Param;
import feign.QueryMap;
import feign.RequestLine;
import io.zlayer.adapters.registry.RegistryJson.TokenBody;
import io.zlayer.domain.error.RegistryException;
import java.net.URI;
import java.util.Map;

/** A bearer token service (the {@code realm} of a registry's challenge), as Docker uses it. */
interface TokenApi {
  /** {@code GET realm?service=…&scope=…}, with Basic credentials when there are any. */
  @RequestLine("GET")
  @Headers("Authorization: {authorization}")
  TokenBody get(URI realm, @QueryMap Map<String, Object> query,
      @Param("authorization") String authorization) throws RegistryException;

  /** The OAuth2 refresh-token grant, for identity tokens. */
  @RequestLine("POST")
  @Headers("Content-Type: application/x-www-form-urlencoded")
  TokenBody post(URI realm, String form) throws RegistryException;
}
