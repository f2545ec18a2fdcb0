package io.zlayer.application.service;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.image.StoredImageReader;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.usecase.ManageManifestLists;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Manifest lists kept in the local store as OCI indexes under a name, as {@code buildah
 * manifest} does; the entries are the images' manifests, which stay in the store too.
 */
public final class ManageManifestListsService implements ManageManifestLists {
  private final ImageStore store;
  private final PushImage push;

  public ManageManifestListsService(ImageStore store, PushImage push) {
    this.store = store;
    this.push = push;
  }

  @Override
  public Digest create(ImageReference name, boolean replace) throws ZlayerException {
    if (!replace && store.resolve(name).isPresent()) {
      throw new UsageException(name.familiarString() + " already exists in the local store",
          "remove it first (zlayer rmi " + name.familiarString() + ") or pass --amend");
    }
    return save(name, new ImageIndex(MediaTypes.OCI_INDEX, List.of(), Map.of()));
  }

  @Override
  public Digest add(ImageReference list, String image, Optional<Platform> platform)
      throws ZlayerException {
    ImageIndex index = inspect(list);
    StoredImageReader reader = new StoredImageReader(store);
    StoredImageReader.Root root = reader.findRoot(image);
    if (MediaTypes.isIndex(root.target().mediaType())) {
      throw new UsageException(image + " is itself a manifest list; add its images one by one");
    }
    LocalImage local = reader.read(root.target(), Platform.host());
    Platform p = platform.orElse(local.config().platform());
    if (p.os().isEmpty() || p.architecture().isEmpty()) {
      throw new UsageException("image " + image + " does not say its platform",
          "give it with --os/--arch or --platform");
    }
    Descriptor entry = Descriptor.of(local.rawManifest().mediaType(),
        local.rawManifest().digest(), local.rawManifest().size()).withPlatform(p);
    List<Descriptor> entries = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      boolean samePlatform = d.platform().map(q -> q.normalized().equals(p.normalized()))
          .orElse(false);
      if (!samePlatform && !d.digest().equals(entry.digest())) {
        entries.add(d);
      }
    }
    entries.add(entry);
    return save(list, new ImageIndex(index.mediaType(), entries, index.annotations()));
  }

  @Override
  public Digest remove(ImageReference list, Digest manifest) throws ZlayerException {
    ImageIndex index = inspect(list);
    List<Descriptor> entries = new ArrayList<>(index.manifests());
    if (!entries.removeIf(d -> d.digest().equals(manifest))) {
      throw StoreException.notFound(list.familiarString() + " has no entry " + manifest, null);
    }
    return save(list, new ImageIndex(index.mediaType(), entries, index.annotations()));
  }

  @Override
  public ImageIndex inspect(ImageReference list) throws ZlayerException {
    Descriptor root = store.resolve(list).orElseThrow(() -> StoreException.notFound(
        "manifest list " + list.familiarString() + " is not in the local store",
        "create it with: zlayer manifest create " + list.familiarString()));
    Manifest m = ImageJson.parseManifest(store.readBlob(root.digest()), root.mediaType());
    if (!(m instanceof ImageIndex index)) {
      throw new UsageException(list.familiarString() + " is an image, not a manifest list");
    }
    return index;
  }

  @Override
  public Digest push(ImageReference list, ImageReference destination, RegistryOptions options,
      BuildEventSink events) throws ZlayerException, InterruptedException {
    ImageIndex index = inspect(list);
    if (index.manifests().isEmpty()) {
      throw new UsageException("manifest list " + list.familiarString() + " is empty",
          "add images with: zlayer manifest add " + list.familiarString() + " IMAGE");
    }
    return push.push(new PushImage.Command(list.toString(), Optional.of(destination), options,
        events));
  }

  private Digest save(ImageReference name, ImageIndex index) throws StoreException {
    byte[] bytes = ImageJson.write(index);
    Digest digest = store.putBlob(bytes);
    store.tag(name, Descriptor.of(index.mediaType(), digest, bytes.length));
    return digest;
  }
}
