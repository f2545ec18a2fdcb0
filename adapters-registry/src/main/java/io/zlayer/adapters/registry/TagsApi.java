package io.zlayer.adapters.registry;

import feign.Param;
import feign.QueryMap;
import feign.RequestLine;
import io.zlayer.domain.error.RegistryException;
import java.net.URI;
import java.util.Map;

/** Tag listing, with {@code Link} pagination. */
interface TagsApi {
  @RequestLine("GET /v2/{name}/tags/list")
  TagPage first(URI base, @Param("name") String name, @QueryMap Map<String, Object> query)
      throws RegistryException;

  /** A page named by the previous page's {@code Link: <…>; rel="next"}. */
  @RequestLine("GET")
  TagPage next(URI page) throws RegistryException;
}
