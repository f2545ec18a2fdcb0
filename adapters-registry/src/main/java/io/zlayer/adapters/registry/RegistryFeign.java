package io.zlayer.adapters.registry;

import feign.Feign;
import feign.Response;
import feign.Retryer;
import feign.Target;
import feign.codec.Decoder;
import feign.codec.DefaultEncoder;
import feign.codec.ErrorDecoder;
import feign.jackson.JacksonDecoder;
import io.zlayer.adapters.registry.RegistryJson.ErrorsBody;
import io.zlayer.adapters.registry.RegistryJson.TagList;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Feign clients of a session and decodes JSON (tags, tokens, error bodies) with
 * feign-jackson. Error responses of the blob and manifest calls, made with the JDK client, are
 * decoded here too, so every registry error body is read the same way.
 */
final class RegistryFeign {
  private static final JacksonDecoder JACKSON = new JacksonDecoder(RegistryJson.MAPPER);
  private static final int ERROR_BODY_LIMIT = 64 << 10;

  private RegistryFeign() {}

  static <T> T client(Class<T> api, feign.Client client, ErrorDecoder errors) {
    return Feign.builder()
        .client(client)
        .encoder(new DefaultEncoder())
        .decoder(new PageAwareDecoder())
        .errorDecoder(errors)
        .retryer(Retryer.NEVER_RETRY)
        .target(Target.EmptyTarget.create(api));
  }

  /** The registry's error document, or an empty one when the body is not one. */
  static ErrorsBody errorsBody(Response response) {
    if (response.body() == null) {
      return ErrorsBody.EMPTY;
    }
    try {
      // JacksonDecoder answers "empty" for a 404 without reading; the body is what matters here
      Response asOk = response.toBuilder().status(200).build();
      Object decoded = JACKSON.decode(asOk, ErrorsBody.class);
      return decoded instanceof ErrorsBody b ? b : ErrorsBody.EMPTY;
    } catch (IOException | RuntimeException e) {
      return ErrorsBody.EMPTY;
    }
  }

  /** The error document of a JDK-client reply (reads at most 64 KiB of it, then closes it). */
  static ErrorsBody errorsBody(Reply reply) {
    byte[] body = reply.readBodyPrefix(ERROR_BODY_LIMIT);
    feign.Request request = feign.Request.create(feign.Request.HttpMethod.GET,
        reply.uri().toString(), Map.of(), null, StandardCharsets.UTF_8, null);
    Response response = Response.builder()
        .status(reply.status())
        .reason("")
        .headers(headers(reply.headers()))
        .body(body)
        .request(request)
        .build();
    return errorsBody(response);
  }

  static Map<String, Collection<String>> headers(HttpHeaders h) {
    Map<String, Collection<String>> out = new LinkedHashMap<>();
    h.map().forEach((k, v) -> out.put(k, new ArrayList<>(v)));
    return out;
  }

  /** Jackson for the documents, plus the {@code Link} header for {@link TagPage}. */
  private static final class PageAwareDecoder implements Decoder {
    @Override
    public Object decode(Response response, Type type) throws IOException {
      if (type == TagPage.class) {
        Object list = JACKSON.decode(response, TagList.class);
        List<String> tags = list instanceof TagList t ? t.tags() : List.of();
        List<String> links = new ArrayList<>();
        response.headers().forEach((k, v) -> {
          if (k.equalsIgnoreCase("link")) {
            links.addAll(v);
          }
        });
        return new TagPage(tags, LinkHeader.next(links, URI.create(response.request().url())));
      }
      if (response.body() == null) {
        return null;
      }
      return JACKSON.decode(response, type);
    }
  }
}
