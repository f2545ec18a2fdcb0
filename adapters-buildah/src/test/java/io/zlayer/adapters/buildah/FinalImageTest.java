package io.zlayer.adapters.buildah;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FinalImageTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_000);

  private static Digest d(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  private static HistoryEntry h(String text, boolean empty) {
    return new HistoryEntry(Optional.empty(), Optional.of(text), Optional.empty(),
        Optional.of("buildkit.dockerfile.v0"), empty);
  }

  private static ImageConfig evaluated(List<HistoryEntry> history) {
    return new ImageConfig(Optional.empty(), Optional.of("me"), "amd64", "linux",
        Optional.empty(), Optional.empty(), ContainerConfig.EMPTY, List.of(d("base")), history);
  }

  @Test
  void emptyLayersAreDroppedAndTheirHistoryMarkedEmpty() throws Exception {
    Descriptor baseLayer = Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, d("blob0"), 10);
    List<Descriptor> pushed = List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d("p0"), 11),
        Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d("p1"), 12),
        Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d("p2"), 13));
    HistoryEntry baseEntry = HistoryEntry.of(Instant.EPOCH, "base", false);
    FinalImage.Composed c = FinalImage.compose(
        evaluated(List.of(baseEntry, h("ENV A=1", true), h("RUN true", false),
            h("RUN x", false))),
        1, List.of(baseLayer), List.of(d("base")),
        List.of(d("base"), FinalImage.EMPTY_LAYER, d("x")), Optional.of(pushed),
        ImageFormat.OCI, LayerCompression.GZIP, NOW, Map.of("extra", "1"));
    assertEquals(List.of(d("base"), d("x")), c.config().diffIds());
    assertEquals(List.of(false, true, true, false),
        c.config().history().stream().map(HistoryEntry::emptyLayer).toList());
    assertEquals(Optional.of(Instant.EPOCH), c.config().history().get(0).created());
    assertEquals(Optional.of(NOW), c.config().history().get(2).created());
    assertEquals(Optional.of(NOW), c.config().created());
    assertEquals("1", c.config().config().labels().get("extra"));
    assertEquals(2, c.layers().size());
    assertInstanceOf(FinalImage.Layer.Stored.class, c.layers().get(0));
    assertEquals(MediaTypes.OCI_LAYER_GZIP, c.layers().get(0).descriptor().mediaType());
    assertEquals(d("blob0"), c.layers().get(0).descriptor().digest());
    assertInstanceOf(FinalImage.Layer.Pushed.class, c.layers().get(1));
    assertEquals(d("p2"), c.layers().get(1).descriptor().digest());
  }

  @Test
  void baseLayersTheFormatCannotCarryComeFromBuildahsPush() throws Exception {
    Descriptor zstd = Descriptor.of(MediaTypes.OCI_LAYER_ZSTD, d("z"), 5);
    List<Descriptor> pushed = List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d("g"), 6));
    FinalImage.Composed c = FinalImage.compose(
        evaluated(List.of(HistoryEntry.of(Instant.EPOCH, "base", false))), 1, List.of(zstd),
        List.of(d("base")), List.of(d("base")), Optional.of(pushed), ImageFormat.DOCKER,
        LayerCompression.GZIP, NOW, Map.of());
    assertEquals(MediaTypes.DOCKER_LAYER_GZIP, c.layers().get(0).descriptor().mediaType());
    assertEquals(d("g"), c.layers().get(0).descriptor().digest());
  }

  @Test
  void layerCountsThatDoNotMatchTheStepsAreAnError() {
    BuildException e = assertThrows(BuildException.class, () -> FinalImage.compose(
        evaluated(List.of(h("RUN a", false))), 0, List.of(), List.of(), List.of(d("a"), d("b")),
        Optional.of(List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d("a"), 1),
            Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d("b"), 1))),
        ImageFormat.OCI, LayerCompression.GZIP, NOW, Map.of()));
    assertEquals("buildah made 2 layers but the build's steps account for 1", e.getMessage());
  }
}
