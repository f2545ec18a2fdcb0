package io.zlayer.domain.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image configuration (the OCI config blob, with Docker's extra fields in
 * {@link ContainerConfig}). Immutable; the {@code with…} methods return changed copies.
 */
public record ImageConfig(
    Optional<Instant> created,
    Optional<String> author,
    String architecture,
    String os,
    Optional<String> variant,
    Optional<String> osVersion,
    ContainerConfig config,
    List<Digest> diffIds,
    List<HistoryEntry> history) {

  public ImageConfig {
    diffIds = List.copyOf(diffIds);
    history = List.copyOf(history);
  }

  /** The config of {@code FROM scratch} for a platform: no layers, no settings. */
  public static ImageConfig scratch(Platform platform) {
    return new ImageConfig(Optional.empty(), Optional.empty(), platform.architecture(),
        platform.os(), platform.variant(), platform.osVersion(), ContainerConfig.EMPTY, List.of(),
        List.of());
  }

  public Platform platform() {
    return new Platform(os, architecture, variant, osVersion);
  }

  public ImageConfig withConfig(ContainerConfig newConfig) {
    return new ImageConfig(created, author, architecture, os, variant, osVersion, newConfig,
        diffIds, history);
  }

  public ImageConfig withCreated(Instant when) {
    return new ImageConfig(Optional.of(when), author, architecture, os, variant, osVersion, config,
        diffIds, history);
  }

  public ImageConfig withAuthor(String newAuthor) {
    return new ImageConfig(created, Optional.of(newAuthor), architecture, os, variant, osVersion,
        config, diffIds, history);
  }

  public ImageConfig withPlatform(Platform p) {
    return new ImageConfig(created, author, p.architecture(), p.os(), p.variant(), p.osVersion(),
        config, diffIds, history);
  }

  /** Appends a layer (its uncompressed digest) and the history entry that made it. */
  public ImageConfig withLayer(Digest diffId, HistoryEntry entry) {
    List<Digest> ids = new ArrayList<>(diffIds);
    ids.add(diffId);
    List<HistoryEntry> h = new ArrayList<>(history);
    h.add(entry);
    return new ImageConfig(created, author, architecture, os, variant, osVersion, config, ids, h);
  }

  /** Appends a history entry for an instruction that changed only metadata. */
  public ImageConfig withEmptyLayerHistory(HistoryEntry entry) {
    List<HistoryEntry> h = new ArrayList<>(history);
    h.add(entry);
    return new ImageConfig(created, author, architecture, os, variant, osVersion, config, diffIds,
        h);
  }

  public ImageConfig withHistory(List<HistoryEntry> newHistory) {
    return new ImageConfig(created, author, architecture, os, variant, osVersion, config, diffIds,
        newHistory);
  }
}
