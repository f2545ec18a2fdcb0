package io.zlayer.adapters.registry;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** One page of tags and where the next one is. */
record TagPage(List<String> tags, Optional<URI> next) {
  TagPage {
    tags = List.copyOf(tags);
  }
}
