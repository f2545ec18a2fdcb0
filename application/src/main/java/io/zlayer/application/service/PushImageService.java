package io.zlayer.application.service;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.image.ParallelTransfers;
import io.zlayer.application.image.StoredImageReader;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.Registry;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.RawManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes like {@code docker push}: every blob the registry lacks (a few at a time, mounted from
 * the image's source repository when it is on the same registry), then the manifests with
 * their stored bytes, so the registry's digest equals the local one. A manifest list is pushed
 * with all its entries, entries first.
 */
public final class PushImageService implements PushImage {
  private final Registry registry;
  private final ImageStore store;

  public PushImageService(Registry registry, ImageStore store) {
    this.registry = registry;
    this.store = store;
  }

  @Override
  public Digest push(Command command) throws ZlayerException, InterruptedException {
    StoredImageReader reader = new StoredImageReader(store);
    StoredImageReader.Root root = reader.findRoot(command.source());
    ImageReference dest = command.destination().or(root::name).orElseThrow(() ->
        new UsageException("image " + command.source() + " has no name to push to",
            "give a destination: zlayer push " + command.source() + " REGISTRY/REPO:TAG"));
    if (dest.tag().isEmpty() && dest.digest().isEmpty()) {
      dest = dest.withTag("latest");
    }
    RegistryRepository repo = registry.repository(dest, command.registryOptions(), true);
    Optional<String> mountFrom = mountSource(root.target(), dest);
    RawManifest raw = reader.readManifest(root.target());
    pushTree(reader, repo, raw, mountFrom, command.events());
    return repo.pushManifest(dest.tag(), raw);
  }

  private void pushTree(StoredImageReader reader, RegistryRepository repo, RawManifest raw,
      Optional<String> mountFrom, BuildEventSink events)
      throws ZlayerException, InterruptedException {
    Manifest parsed = raw.parse();
    if (parsed instanceof ImageIndex index) {
      for (Descriptor entry : index.manifests()) {
        RawManifest child = reader.readManifest(entry);
        pushTree(reader, repo, child, mountFrom, events);
        repo.pushManifest(Optional.empty(), child);
      }
      return;
    }
    ImageManifest manifest = (ImageManifest) parsed;
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    manifest.layers().forEach(d -> blobs.putIfAbsent(d.digest(), d));
    blobs.putIfAbsent(manifest.config().digest(), manifest.config());
    List<ParallelTransfers.Transfer> transfers = new ArrayList<>();
    for (Descriptor d : blobs.values()) {
      transfers.add(() -> {
        String id = d.digest().shortHex();
        events.accept(new BuildEvent.TransferStarted(id, "pushing " + id, d.size()));
        if (repo.hasBlob(d.digest())) {
          events.accept(new BuildEvent.TransferFinished(id, true));
          return;
        }
        repo.pushBlob(store.blob(d.digest()), mountFrom, (done, total) ->
            events.accept(new BuildEvent.TransferProgress(id, done, total)));
        events.accept(new BuildEvent.TransferFinished(id, false));
      });
    }
    ParallelTransfers.runAll(transfers, ParallelTransfers.DEFAULT_PARALLELISM);
  }

  private static Optional<String> mountSource(Descriptor root, ImageReference dest) {
    String source = root.annotations().get(PullImageService.SOURCE_ANNOTATION);
    if (source == null || source.equals(dest.fullName())) {
      return Optional.empty();
    }
    String prefix = dest.registry() + "/";
    return source.startsWith(prefix) ? Optional.of(source.substring(prefix.length()))
        : Optional.empty();
  }
}
