package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.domain.image.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The layers of a stage or image, bottom first, and the read-only view of them stacked. */
record StageFilesystem(List<LayerRef> layers) {
  static final StageFilesystem EMPTY = new StageFilesystem(List.of());

  StageFilesystem {
    layers = List.copyOf(layers);
  }

  /** The layer directories as overlay lowerdirs: the top layer first. */
  LayerStack stack() {
    List<Path> topFirst = new ArrayList<>();
    for (LayerRef layer : layers) {
      topFirst.add(layer.dir());
    }
    Collections.reverse(topFirst);
    return LayerStack.of(topFirst);
  }

  StageFilesystem with(LayerRef top) {
    List<LayerRef> all = new ArrayList<>(layers);
    all.add(top);
    return new StageFilesystem(all);
  }

  List<Digest> diffIds() {
    return layers.stream().map(LayerRef::diffId).toList();
  }
}
