package io.zlayer.adapters.registry;

import feign.FeignException;
import feign.Request;
import feign.Response;
import feign.RetryableException;
import feign.codec.DecodeException;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.RegistryException.Kind;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs Feign's requests through a session's {@link RegistryConnection}, so the small JSON calls
 * get the same TLS policy, redirects, retries, tracing and (for registry calls) Authorization as
 * the blob transfers. Failures travel through Feign as {@link Failure} and come out of
 * {@link #call} as the {@link RegistryException} they carry.
 */
final class FeignBridge implements feign.Client {
  /** JSON documents (tag lists, tokens, errors) larger than this are refused. */
  static final int JSON_LIMIT = 16 << 20;

  @FunctionalInterface
  interface Sender {
    Reply send(Call call) throws IOException, RegistryException;
  }

  @FunctionalInterface
  interface NetworkErrors {
    RegistryException map(URI uri, IOException e);
  }

  @FunctionalInterface
  interface FeignCall<T> {
    T run() throws RegistryException;
  }

  private final Sender sender;
  private final boolean authorize;
  private final NetworkErrors network;

  FeignBridge(Sender sender, boolean authorize, NetworkErrors network) {
    this.sender = sender;
    this.authorize = authorize;
    this.network = network;
  }

  @Override
  public Response execute(Request request, Request.Options options) throws IOException {
    URI uri = URI.create(request.url());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request.headers().forEach((k, v) -> headers.put(k, List.copyOf(v)));
    Optional<RequestBody> body = request.body() == null || request.body().length == 0
        ? Optional.empty() : Optional.of(RequestBody.of(request.body()));
    Call call = new Call(request.httpMethod().name(), uri, headers, body, Set.of(), true,
        authorize, true);
    try (Reply reply = sender.send(call)) {
      byte[] bytes = reply.readBody(JSON_LIMIT);
      Map<String, Collection<String>> responseHeaders = new LinkedHashMap<>();
      reply.headers().map().forEach((k, v) -> responseHeaders.put(k, new ArrayList<>(v)));
      return Response.builder()
          .status(reply.status())
          .reason("")
          .headers(responseHeaders)
          .body(bytes)
          .request(request)
          .build();
    } catch (RegistryException e) {
      throw new Failure(e);
    } catch (IOException e) {
      throw new Failure(network.map(uri, e));
    }
  }

  /** Calls a Feign method, unwrapping the {@link RegistryException} of a failed exchange. */
  static <T> T call(FeignCall<T> feignCall, RegistryErrors errors, String what)
      throws RegistryException {
    try {
      return feignCall.run();
    } catch (RetryableException e) {
      if (e.getCause() instanceof Failure f) {
        throw f.error;
      }
      throw errors.exception(Kind.PROTOCOL, what + " failed: " + RegistryErrors.describe(
          e.getCause() == null ? e : e.getCause()));
    } catch (DecodeException e) {
      throw errors.exception(Kind.PROTOCOL, what + " returned malformed JSON");
    } catch (FeignException e) {
      throw errors.exception(Kind.PROTOCOL, what + " failed with HTTP " + e.status());
    }
  }

  /** Carries a {@link RegistryException} through Feign's IOException path. */
  static final class Failure extends IOException {
    private final transient RegistryException error;

    Failure(RegistryException error) {
      super(error.getMessage());
      this.error = error;
    }
  }
}
