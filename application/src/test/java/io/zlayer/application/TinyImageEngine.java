package io.zlayer.application;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.StepRef;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.BuildEngine;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.EngineAvailability;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * A build engine for tests: it runs nothing, but writes a real one-layer OCI image into the
 * store, whose single file {@code /built.txt} says which stage, platform and {@code GREETING}
 * build argument the plan carried. It remembers every job it got.
 */
final class TinyImageEngine implements BuildEngine {
  static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private final ImageStore store;
  private final List<BuildJob> jobs = Collections.synchronizedList(new ArrayList<>());

  TinyImageEngine(ImageStore store) {
    this.store = store;
  }

  List<BuildJob> jobs() {
    return List.copyOf(jobs);
  }

  @Override
  public String name() {
    return "tiny";
  }

  @Override
  public EngineAvailability availability() {
    return EngineAvailability.usable("tiny test engine");
  }

  @Override
  public BuiltImage build(BuildJob job) throws StoreException {
    jobs.add(job);
    BuildPlan plan = job.plan();
    StepRef step = new StepRef(plan.target().displayName(), plan.target().index(),
        plan.stages().size(), 1, 1, 1);
    job.events().accept(new BuildEvent.StepStarted(step, "write /built.txt"));
    String text = "stage=" + plan.target().displayName() + "\nplatform=" + plan.targetPlatform()
        + "\ngreeting=" + plan.args().value("GREETING").orElse("") + "\n";
    byte[] tar = Tar.oneFile("built.txt", text.getBytes(StandardCharsets.UTF_8));
    byte[] layer = gzip(tar);
    Digest layerDigest;
    try (BlobWriter writer = store.newBlobWriter()) {
      writer.stream().write(layer);
      layerDigest = writer.commit(Optional.of(Digest.sha256(layer)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ImageConfig config = ImageConfig.scratch(plan.targetPlatform()).withCreated(CREATED)
        .withLayer(Digest.sha256(tar), HistoryEntry.of(CREATED, "tiny engine", false));
    byte[] configBytes = ImageJson.write(config);
    Digest configDigest = store.putBlob(configBytes);
    ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layerDigest, layer.length)));
    byte[] manifestBytes = ImageJson.write(manifest);
    Digest manifestDigest = store.putBlob(manifestBytes);
    job.events().accept(new BuildEvent.StepFinished(step, Duration.ofMillis(1)));
    return new BuiltImage(Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest,
        manifestBytes.length), configDigest, config, manifest.contentSize(), 1, 0);
  }

  private static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The smallest valid tar: one regular file in ustar format. */
  static final class Tar {
    private Tar() {}

    static byte[] oneFile(String name, byte[] content) {
      byte[] header = new byte[512];
      put(header, 0, name);
      put(header, 100, "0000644");
      put(header, 108, "0000000");
      put(header, 116, "0000000");
      put(header, 124, String.format("%011o", content.length));
      put(header, 136, String.format("%011o", CREATED.getEpochSecond()));
      header[156] = '0';
      put(header, 257, "ustar");
      put(header, 263, "00");
      for (int i = 148; i < 156; i++) {
        header[i] = ' ';
      }
      int sum = 0;
      for (byte b : header) {
        sum += b & 0xff;
      }
      put(header, 148, String.format("%06o", sum));
      header[155] = ' ';
      int padded = (content.length + 511) / 512 * 512;
      byte[] tar = new byte[512 + padded + 1024];
      System.arraycopy(header, 0, tar, 0, 512);
      System.arraycopy(content, 0, tar, 512, content.length);
      return tar;
    }

    private static void put(byte[] header, int offset, String value) {
      byte[] b = value.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(b, 0, header, offset, b.length);
    }
  }
}
