package io.zlayer.domain.zimage;

import java.util.Map;
import java.util.Optional;

/** What a stage starts from: an image (or an earlier stage, by name), or a nested build. */
public sealed interface BaseImage {
  /** {@code base: alpine:3.20}; variables ({@code ${VERSION}}) are expanded from the args. */
  record Image(String reference) implements BaseImage {}

  /**
   * {@code build:}: an image built first from another context, then used as the base.
   *
   * @param context the context directory, relative to the ZImagefile's context
   * @param file the build file in that context; found there when empty ({@code ZImagefile},
   *     else {@code Dockerfile})
   * @param args build arguments for that build
   */
  record Build(String context, Optional<String> file, Map<String, String> args)
      implements BaseImage {
    public Build {
      args = Map.copyOf(args);
    }
  }
}
