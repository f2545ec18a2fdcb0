package io.zlayer.application.service;

import io.zlayer.application.image.LocalImage;
import io.zlayer.application.image.StoredImageReader;
import io.zlayer.application.port.BuildCache;
import io.zlayer.application.port.BuildCache.CachePruneReport;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.ImageStore.PruneReport;
import io.zlayer.application.port.ImageStore.StoredImage;
import io.zlayer.application.usecase.ManageLocalImages;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.Platform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The local-store commands over the {@link ImageStore} port. */
public final class ManageLocalImagesService implements ManageLocalImages {
  private final ImageStore store;
  private final StoredImageReader reader;
  private final List<BuildCache> buildCaches;

  public ManageLocalImagesService(ImageStore store) {
    this(store, List.of());
  }

  /** With the caches of the build engines that {@link #prune()} clears as well. */
  public ManageLocalImagesService(ImageStore store, List<BuildCache> buildCaches) {
    this.store = store;
    this.reader = new StoredImageReader(store);
    this.buildCaches = List.copyOf(buildCaches);
  }

  @Override
  public void tag(String source, ImageReference target) throws ZlayerException {
    StoredImageReader.Root root = reader.findRoot(source);
    store.tag(target, root.target());
  }

  @Override
  public List<ImageSummary> list() throws ZlayerException {
    List<ImageSummary> rows = new ArrayList<>();
    for (StoredImage image : store.list()) {
      Descriptor target = image.target();
      Manifest m = reader.readManifest(target).parse();
      if (m instanceof ImageManifest manifest) {
        ImageConfig config = ImageJson.parseConfig(store.readBlob(manifest.config().digest()));
        rows.add(new ImageSummary(image.name(), target.digest(), manifest.config().digest(),
            config.created(), manifest.contentSize(), false));
      } else {
        ImageIndex index = (ImageIndex) m;
        long size = index.manifests().stream().mapToLong(Descriptor::size).sum();
        rows.add(new ImageSummary(image.name(), target.digest(), target.digest(),
            Optional.empty(), size, true));
      }
    }
    rows.sort(Comparator.comparing((ImageSummary r) -> r.name().map(Object::toString)
        .orElse("\uffff")).thenComparing(r -> r.manifestDigest().toString()));
    return rows;
  }

  @Override
  public LocalImage inspect(String nameOrId, Platform platform) throws ZlayerException {
    return reader.read(nameOrId, platform);
  }

  @Override
  public List<String> remove(List<String> namesOrIds) throws ZlayerException {
    List<String> removed = new ArrayList<>();
    for (String nameOrId : namesOrIds) {
      StoredImageReader.Root root = reader.findRoot(nameOrId);
      if (root.name().isPresent() && !isIdLike(nameOrId)) {
        if (store.untag(root.name().get())) {
          removed.add("Untagged: " + root.name().get());
        }
        if (!stillNamed(root.digest())) {
          store.removeRoots(root.digest());
          removed.add("Deleted: " + root.digest());
        }
      } else {
        for (StoredImage image : store.list()) {
          if (image.target().digest().equals(root.digest()) && image.name().isPresent()) {
            store.untag(image.name().get());
            removed.add("Untagged: " + image.name().get());
          }
        }
        // Found by ID: once untagged it is gone from the store, whether or not an unnamed
        // root entry remained to remove.
        store.removeRoots(root.digest());
        removed.add("Deleted: " + root.digest());
      }
    }
    return removed;
  }

  private boolean stillNamed(Digest digest) throws StoreException {
    for (StoredImage image : store.list()) {
      if (image.target().digest().equals(digest) && image.name().isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static boolean isIdLike(String s) {
    String hex = s.startsWith("sha256:") ? s.substring(7) : s;
    return s.startsWith("sha256:") || (hex.length() == 64 && hex.matches("[0-9a-f]+"));
  }

  @Override
  public PruneSummary prune() throws ZlayerException {
    // the caches first: a layer a cache drops is still a blob in the store, never the reverse
    CachePruneReport caches = CachePruneReport.NOTHING;
    for (BuildCache cache : buildCaches) {
      caches = caches.plus(cache.prune(this::referencedDiffIds));
    }
    PruneReport blobs = store.prune();
    return new PruneSummary(blobs, caches);
  }

  /** The layers of every image in the store; index entries not in the store are skipped. */
  private Set<Digest> referencedDiffIds() throws ZlayerException {
    Set<Digest> out = new HashSet<>();
    for (StoredImage image : store.list()) {
      Manifest m = reader.readManifest(image.target()).parse();
      List<Descriptor> manifests = m instanceof ImageIndex index ? index.manifests()
          : List.of(image.target());
      for (Descriptor d : manifests) {
        if (!store.hasBlob(d.digest())) {
          continue;
        }
        Manifest child = d == image.target() ? m : reader.readManifest(d).parse();
        if (child instanceof ImageManifest manifest
            && store.hasBlob(manifest.config().digest())) {
          out.addAll(ImageJson.parseConfig(store.readBlob(manifest.config().digest()))
              .diffIds());
        }
      }
    }
    return out;
  }
}
