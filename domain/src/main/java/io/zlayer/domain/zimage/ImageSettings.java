package io.zlayer.domain.zimage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image settings a stage (or, at the top level, the output image) can carry: Dockerfile's
 * ENV, WORKDIR, EXPOSE, CMD, ENTRYPOINT, USER, LABEL, VOLUME, HEALTHCHECK and STOPSIGNAL.
 *
 * @param expose port specs as Docker writes them ({@code 8080/tcp}, {@code 53/udp})
 */
public record ImageSettings(Map<String, String> env, Optional<String> workdir,
    List<String> expose, Optional<ZCommand> cmd, Optional<ZCommand> entrypoint,
    Optional<String> user, Map<String, String> labels, List<String> volumes,
    Optional<Healthcheck> healthcheck, Optional<String> stopSignal) {

  public static final ImageSettings NONE = new ImageSettings(Map.of(), Optional.empty(),
      List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), List.of(),
      Optional.empty(), Optional.empty());

  public ImageSettings {
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    expose = List.copyOf(expose);
    volumes = List.copyOf(volumes);
  }

  public boolean isEmpty() {
    return equals(NONE);
  }
}
