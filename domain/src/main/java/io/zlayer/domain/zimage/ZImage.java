package io.zlayer.domain.zimage;

import java.util.List;
import java.util.Optional;

/**
 * A parsed and validated ZImagefile: the YAML alternative to a Dockerfile.
 *
 * @param version the format version, {@code "1"} when given
 * @param args global build arguments (Dockerfile ARGs before the first FROM; zlayer also
 *     declares them in every stage so that steps can use them)
 * @param settings the top-level image settings, applied to the image (the last stage)
 */
public record ZImage(Optional<String> version, ZImageMode mode, List<BuildArg> args,
    ImageSettings settings) {
  public ZImage {
    args = List.copyOf(args);
  }
}
