package io.zlayer.application.service;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.image.ParallelTransfers;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.Registry;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.image.RawManifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls like {@code docker pull}: resolves the tag (a manifest list picks the platform), fetches
 * the blobs the store lacks a few at a time, and names the platform's image manifest locally.
 * The manifest keeps the registry's exact bytes, so its digest is the registry's.
 */
public final class PullImageService implements PullImage {
  /** Root annotation recording where an image came from, so a later push can mount blobs. */
  public static final String SOURCE_ANNOTATION = "io.zlayer.image.source";

  private final Registry registry;
  private final ImageStore store;

  public PullImageService(Registry registry, ImageStore store) {
    this.registry = registry;
    this.store = store;
  }

  @Override
  public LocalImage pull(Command command) throws ZlayerException, InterruptedException {
    ImageReference ref = command.reference();
    BuildEventSink events = command.events();
    RegistryRepository repo = registry.repository(ref, command.registryOptions(), false);
    String wanted = ref.digest().orElseGet(() -> ref.tag().orElse("latest"));
    RawManifest raw = repo.fetchManifest(wanted);
    Manifest parsed = raw.parse();
    Optional<RawManifest> index = Optional.empty();
    if (parsed instanceof ImageIndex idx) {
      Platform platform = command.platform();
      Descriptor chosen = idx.select(platform).orElseThrow(() -> new RegistryException(
          RegistryException.Kind.NOT_FOUND, "no image for platform " + platform + " in "
              + ref + " (it has: " + platformsOf(idx) + ")"));
      index = Optional.of(raw);
      raw = repo.fetchManifest(chosen.digest().toString());
      parsed = raw.parse();
      if (!(parsed instanceof ImageManifest)) {
        throw new ImageFormatException("manifest list " + ref + " points at another list");
      }
    }
    ImageManifest manifest = (ImageManifest) parsed;
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(manifest.config());
    blobs.addAll(manifest.layers());
    fetchMissing(repo, blobs, events);
    ImageConfig config = ImageJson.parseConfig(store.readBlob(manifest.config().digest()));
    store.putBlob(raw.bytes());
    Map<String, String> annotations = new HashMap<>();
    annotations.put(SOURCE_ANNOTATION, ref.fullName());
    Descriptor root = raw.descriptor().withAnnotations(annotations);
    store.tag(ref, root);
    return new LocalImage(raw, manifest, config, index);
  }

  private void fetchMissing(RegistryRepository repo, List<Descriptor> blobs,
      BuildEventSink events) throws ZlayerException, InterruptedException {
    List<ParallelTransfers.Transfer> transfers = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Descriptor d : blobs) {
      if (!seen.add(d.digest().toString())) {
        continue;
      }
      String id = d.digest().shortHex();
      if (store.hasBlob(d.digest())) {
        events.accept(new BuildEvent.TransferStarted(id, "exists " + id, d.size()));
        events.accept(new BuildEvent.TransferFinished(id, true));
        continue;
      }
      transfers.add(() -> {
        events.accept(new BuildEvent.TransferStarted(id, "pulling " + id, d.size()));
        try (BlobWriter writer = store.newBlobWriter()) {
          repo.fetchBlob(d, writer, (done, total) ->
              events.accept(new BuildEvent.TransferProgress(id, done, total)));
          writer.commit(Optional.of(d.digest()));
        }
        events.accept(new BuildEvent.TransferFinished(id, false));
      });
    }
    ParallelTransfers.runAll(transfers, ParallelTransfers.DEFAULT_PARALLELISM);
  }

  private static String platformsOf(ImageIndex idx) {
    return String.join(", ", idx.manifests().stream()
        .map(d -> d.platform().map(Platform::toString).orElse("?")).toList());
  }
}
