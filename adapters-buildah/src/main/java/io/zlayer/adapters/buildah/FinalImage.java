package io.zlayer.adapters.buildah;

import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The image config and layer list zlayer writes for a buildah build: {@code StageEvaluator}'s
 * config (so both backends agree field for field, which buildah's CLI cannot express, see {@link
 * ConfigFlags}) with the diff IDs of buildah's layers.
 *
 * <p>buildah made exactly one layer per filesystem step of the target's stage chain, on top of
 * the root base image's layers; the evaluator's history has one non-empty entry per such step
 * after the root image's entries, so the two line up in order. As BuildKit's exporter does, a
 * layer with no changes (the empty tar) is dropped and its history entry marked empty. Root
 * image layers keep their original blobs from the store (media type renamed to the output
 * format); new layers are buildah's, compressed as asked.
 */
final class FinalImage {
  /** The diff ID of an empty tar archive (two zero blocks). */
  static final Digest EMPTY_LAYER = new Digest("sha256",
      "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

  private FinalImage() {}

  /** A layer of the result: a blob already in the store, or one from buildah's push. */
  sealed interface Layer {
    Descriptor descriptor();

    record Stored(Descriptor descriptor) implements Layer {}

    record Pushed(Descriptor descriptor) implements Layer {}
  }

  record Composed(ImageConfig config, List<Layer> layers) {}

  /**
   * @param evaluated the target's {@code StageEvaluator.image()}
   * @param rootHistory how many history entries the root base image has (0 for scratch)
   * @param rootLayers the root base image's layers as stored (empty for scratch)
   * @param rootDiffIds the root base image's diff IDs
   * @param builtDiffIds the diff IDs of buildah's final image (root's, then one per step)
   * @param pushedLayers the layer descriptors of buildah's push of that image, when pushed
   */
  static Composed compose(ImageConfig evaluated, int rootHistory, List<Descriptor> rootLayers,
      List<Digest> rootDiffIds, List<Digest> builtDiffIds, Optional<List<Descriptor>> pushedLayers,
      ImageFormat format, LayerCompression compression, Instant created,
      Map<String, String> extraLabels) throws BuildException {
    if (builtDiffIds.size() < rootDiffIds.size()
        || !builtDiffIds.subList(0, rootDiffIds.size()).equals(rootDiffIds)) {
      throw new BuildException("buildah's image does not start with the base image's layers");
    }
    String newType = MediaTypes.layerType(format, compression);
    List<Layer> layers = new ArrayList<>();
    List<Digest> diffIds = new ArrayList<>();
    for (int i = 0; i < rootDiffIds.size(); i++) {
      Optional<String> renamed = i < rootLayers.size()
          ? rename(rootLayers.get(i).mediaType(), format) : Optional.empty();
      if (renamed.isPresent()) {
        layers.add(new Layer.Stored(rootLayers.get(i).withMediaType(renamed.get())));
      } else {
        int position = i;
        Descriptor pushed = pushedLayers.orElseThrow(() -> new BuildException(
            "base image layer " + position + " cannot be written in the " + format
                + " format without buildah's copy")).get(i);
        layers.add(new Layer.Pushed(Descriptor.of(newType, pushed.digest(), pushed.size())));
      }
      diffIds.add(rootDiffIds.get(i));
    }
    List<Digest> fresh = builtDiffIds.subList(rootDiffIds.size(), builtDiffIds.size());
    List<HistoryEntry> history = new ArrayList<>(evaluated.history());
    int next = 0;
    for (int h = Math.min(rootHistory, history.size()); h < history.size(); h++) {
      HistoryEntry e = history.get(h);
      boolean empty = e.emptyLayer();
      if (!empty) {
        if (next >= fresh.size()) {
          throw new BuildException("buildah made " + fresh.size()
              + " layers, fewer than the build's steps need");
        }
        int index = rootDiffIds.size() + next;
        Digest diffId = fresh.get(next++);
        if (diffId.equals(EMPTY_LAYER)) {
          empty = true;
        } else {
          Descriptor pushed = pushedLayers.orElseThrow(() -> new BuildException(
              "buildah's layers were not exported")).get(index);
          layers.add(new Layer.Pushed(Descriptor.of(newType, pushed.digest(), pushed.size())));
          diffIds.add(diffId);
        }
      }
      history.set(h, new HistoryEntry(Optional.of(e.created().orElse(created)), e.createdBy(),
          e.author(), e.comment(), empty));
    }
    if (next != fresh.size()) {
      throw new BuildException("buildah made " + fresh.size() + " layers but the build's steps"
          + " account for " + next);
    }
    ContainerConfig cc = evaluated.config();
    if (!extraLabels.isEmpty()) {
      TreeMap<String, String> labels = new TreeMap<>(cc.labels());
      labels.putAll(extraLabels);
      cc = cc.toBuilder().labels(labels).build();
    }
    ImageConfig config = new ImageConfig(Optional.of(created), evaluated.author(),
        evaluated.architecture(), evaluated.os(), evaluated.variant(), evaluated.osVersion(), cc,
        diffIds, history);
    return new Composed(config, layers);
  }

  /** The same blob's media type in the other format, when that format can carry it. */
  static Optional<String> rename(String mediaType, ImageFormat format) {
    if (format == ImageFormat.OCI) {
      switch (mediaType) {
        case MediaTypes.DOCKER_LAYER_GZIP:
        case MediaTypes.OCI_LAYER_GZIP:
          return Optional.of(MediaTypes.OCI_LAYER_GZIP);
        case MediaTypes.DOCKER_LAYER_FOREIGN_GZIP:
        case MediaTypes.OCI_LAYER_NONDIST_GZIP:
          return Optional.of(MediaTypes.OCI_LAYER_NONDIST_GZIP);
        case MediaTypes.OCI_LAYER:
        case MediaTypes.OCI_LAYER_ZSTD:
          return Optional.of(mediaType);
        default:
          return Optional.empty();
      }
    }
    switch (mediaType) {
      case MediaTypes.DOCKER_LAYER_GZIP:
      case MediaTypes.OCI_LAYER_GZIP:
        return Optional.of(MediaTypes.DOCKER_LAYER_GZIP);
      case MediaTypes.DOCKER_LAYER_FOREIGN_GZIP:
      case MediaTypes.OCI_LAYER_NONDIST_GZIP:
        return Optional.of(MediaTypes.DOCKER_LAYER_FOREIGN_GZIP);
      default:
        return Optional.empty();
    }
  }
}
