package io.zlayer.adapters.cli.progress;

import io.zlayer.adapters.cli.format.HumanUnits;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a finished build produced, for the last lines of its progress output.
 *
 * @param imageId the image ID (config digest)
 * @param manifestDigest the manifest's digest, when the image was stored as a manifest
 * @param tags the names the image was given ({@code -t})
 * @param size bytes of config and layers
 * @param cachedSteps steps whose result came from the cache
 * @param totalSteps steps the build ran or took from the cache
 */
public record BuildSummary(Digest imageId, Optional<Digest> manifestDigest,
    List<ImageReference> tags, long size, Duration elapsed, int cachedSteps, int totalSteps) {

  public BuildSummary {
    tags = List.copyOf(tags);
  }

  /** The summary as lines of text: a headline, then one labelled line per fact. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("built " + imageId.shortHex() + " in " + HumanUnits.seconds(elapsed) + " ("
        + cacheText() + ")");
    lines.add("  image id  " + imageId);
    manifestDigest.ifPresent(d -> lines.add("  digest    " + d));
    lines.add("  size      " + HumanUnits.size(size));
    for (ImageReference tag : tags) {
      lines.add("  tagged    " + tag.familiarString());
    }
    return List.copyOf(lines);
  }

  private String cacheText() {
    String steps = totalSteps == 1 ? "1 step" : totalSteps + " steps";
    return steps + ", " + cachedSteps + " cached";
  }
}
