package io.zlayer.adapters.sandbox.layer;

import io.zlayer.domain.image.LayerCompression;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How {@link LayerTarWriter} writes a layer.
 *
 * @param compression how the tar is compressed
 * @param sourceDateEpoch when present, modification times later than it are written as it
 *     ({@code SOURCE_DATE_EPOCH}), for reproducible layers
 * @param excluded root-relative paths left out with everything below them (say, mount points
 *     the sandbox created)
 */
public record LayerTarOptions(LayerCompression compression, Optional<Instant> sourceDateEpoch,
    Set<String> excluded) {

  public LayerTarOptions {
    TreeSet<String> clean = new TreeSet<>();
    for (String path : excluded) {
      String c = PathNames.clean("/" + path);
      if (c.isEmpty()) {
        throw new IllegalArgumentException("the layer root itself cannot be excluded");
      }
      clean.add(c);
    }
    excluded = Set.copyOf(clean);
  }

  public static LayerTarOptions of(LayerCompression compression) {
    return new LayerTarOptions(compression, Optional.empty(), Set.of());
  }

  public LayerTarOptions withSourceDateEpoch(Instant epoch) {
    return new LayerTarOptions(compression, Optional.of(epoch), excluded);
  }

  public LayerTarOptions withExcluded(Collection<String> paths) {
    return new LayerTarOptions(compression, sourceDateEpoch, Set.copyOf(paths));
  }

  boolean isExcluded(String relative) {
    return excluded.contains(relative);
  }
}
