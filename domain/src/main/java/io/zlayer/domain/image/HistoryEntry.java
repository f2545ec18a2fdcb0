package io.zlayer.domain.image;

import java.time.Instant;
import java.util.Optional;

/** One entry of an image's history: which instruction made it and whether it added a layer. */
public record HistoryEntry(Optional<Instant> created, Optional<String> createdBy,
    Optional<String> author, Optional<String> comment, boolean emptyLayer) {

  public static HistoryEntry of(Instant created, String createdBy, boolean emptyLayer) {
    return new HistoryEntry(Optional.ofNullable(created), Optional.of(createdBy), Optional.empty(),
        Optional.empty(), emptyLayer);
  }
}
