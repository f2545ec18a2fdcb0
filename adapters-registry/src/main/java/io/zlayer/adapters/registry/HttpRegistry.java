package io.zlayer.adapters.registry;

import io.zlayer.application.port.CredentialSource;
import io.zlayer.application.port.Credentials;
import io.zlayer.application.port.Registry;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.ImageReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Registry} port over the OCI distribution API v2: Feign for the small JSON calls
 * (tags, tokens, error bodies), the JDK HTTP client for manifests and streamed blobs. One
 * instance serves any number of concurrent sessions; they share the HTTP clients and the bearer
 * token cache.
 */
public final class HttpRegistry implements Registry {
  private final CredentialSource credentialSource;
  private final RegistryClientSettings settings;
  private final HttpEngine engine;
  private final TokenCache tokens;

  /** With the default settings (retries, 16 MiB chunking threshold, no trace). */
  public HttpRegistry(CredentialSource credentialSource) {
    this(credentialSource, RegistryClientSettings.DEFAULT);
  }

  public HttpRegistry(CredentialSource credentialSource, RegistryClientSettings settings) {
    this.credentialSource = Objects.requireNonNull(credentialSource);
    this.settings = Objects.requireNonNull(settings);
    this.engine = new HttpEngine(settings);
    this.tokens = new TokenCache(settings.retry().clock());
  }

  @Override
  public RegistryRepository repository(ImageReference repository, RegistryOptions options,
      boolean push) throws RegistryException {
    InsecureHosts insecureHosts = new InsecureHosts(options.insecureRegistries());
    String apiHost = repository.registryApiHost();
    boolean insecure = insecureHosts.contains(repository.registry())
        || insecureHosts.contains(apiHost);
    HostPolicy policy = new HostPolicy(repository.registry(), apiHost,
        repository.isLoopbackRegistry(), insecure, insecureHosts);
    SecretScrubber scrubber = new SecretScrubber();
    RegistryErrors errors = new RegistryErrors(scrubber, policy);
    Subject subject = Subject.repository(repository, push);
    RegistryConnection conn = new RegistryConnection(policy, engine, settings, scrubber, errors,
        subject);
    FeignBridge.NetworkErrors network = (uri, e) ->
        errors.network(HostPolicy.hostPort(uri), sameHost(uri, apiHost) ? "registry"
            : "token service", e, subject);
    TokenApi tokenApi = RegistryFeign.client(TokenApi.class,
        new FeignBridge(conn, false, network),
        (key, response) -> errors.forTokenStatus(response.status(),
            RegistryFeign.errorsBody(response), subject,
            HostPolicy.hostPort(URI.create(response.request().url()))));
    TagsApi tagsApi = RegistryFeign.client(TagsApi.class, new FeignBridge(conn, true, network),
        (key, response) -> errors.forStatus(response.status(),
            RegistryFeign.errorsBody(response), Subject.tags(repository)));
    RegistryAuth auth = new RegistryAuth(new MemoizedLogin(repository.registry(), options,
        scrubber), repository.repository(), push, tokens, tokenApi, errors, policy,
        settings.retry().clock());
    conn.useAuth(auth);
    return new HttpRegistryRepository(repository, push, conn, settings, tagsApi);
  }

  private static boolean sameHost(URI uri, String apiHost) {
    return HostPolicy.hostPort(uri).equalsIgnoreCase(apiHost);
  }

  /**
   * The login of a session: {@code --creds} if given, else the credential source, asked once
   * on first need. Every secret it yields is masked in the session's messages.
   */
  private final class MemoizedLogin implements RegistryAuth.Login {
    private final String registry;
    private final RegistryOptions options;
    private final SecretScrubber scrubber;
    private Optional<Credentials> resolved;

    MemoizedLogin(String registry, RegistryOptions options, SecretScrubber scrubber) {
      this.registry = registry;
      this.options = options;
      this.scrubber = scrubber;
    }

    @Override
    public synchronized Optional<Credentials> get() throws RegistryException {
      if (resolved == null) {
        Optional<Credentials> c = options.credentials().isPresent() ? options.credentials()
            : credentialSource.credentialsFor(registry);
        c.ifPresent(creds -> {
          scrubber.add(creds.secret());
          String pair = creds.username() + ":" + creds.secret();
          scrubber.add(Base64.getEncoder().encodeToString(
              pair.getBytes(StandardCharsets.UTF_8)));
        });
        resolved = c;
      }
      return resolved;
    }
  }
}
