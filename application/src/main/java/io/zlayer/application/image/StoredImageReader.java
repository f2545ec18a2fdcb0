package io.zlayer.application.image;

import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.ImageStore.StoredImage;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.InvalidReferenceException;
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
import io.zlayer.domain.image.RawManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds images in the local store the way users name them: a reference ({@code alpine},
 * {@code localhost:5000/app:1}), or an image ID or manifest digest, or a unique prefix of one
 * (at least 4 hex digits), as {@code docker image inspect} accepts.
 */
public final class StoredImageReader {
  private final ImageStore store;

  public StoredImageReader(ImageStore store) {
    this.store = store;
  }

  /** The store root a user's name or ID denotes (manifest or index). */
  public Root findRoot(String nameOrId) throws ZlayerException {
    String text = nameOrId.trim();
    String hex = text.toLowerCase(Locale.ROOT).startsWith("sha256:") ? text.substring(7) : text;
    boolean looksLikeId = hex.length() >= 4 && hex.length() <= 64 && hex.matches("[0-9a-f]+");
    if (!looksLikeId || text.contains("/") || text.contains(":") && !text.startsWith("sha256:")) {
      try {
        ImageReference ref = ImageReference.parse(text);
        Optional<Descriptor> d = store.resolve(ref);
        if (d.isPresent()) {
          return new Root(Optional.of(ref), d.get());
        }
        if (!looksLikeId) {
          throw notFound(text);
        }
      } catch (InvalidReferenceException e) {
        if (!looksLikeId) {
          throw e;
        }
      }
    }
    List<Root> matches = new ArrayList<>();
    for (StoredImage image : store.list()) {
      Descriptor target = image.target();
      boolean hit = target.digest().hex().startsWith(hex);
      if (!hit && target.mediaType() != null
          && io.zlayer.domain.image.MediaTypes.isImageManifest(target.mediaType())) {
        Manifest m = ImageJson.parseManifest(store.readBlob(target.digest()), target.mediaType());
        hit = ((ImageManifest) m).config().digest().hex().startsWith(hex);
      }
      if (hit && matches.stream().noneMatch(r -> r.target().digest().equals(target.digest()))) {
        matches.add(new Root(image.name(), target));
      }
    }
    if (matches.isEmpty()) {
      throw notFound(text);
    }
    if (matches.size() > 1) {
      throw new StoreException("\"" + text + "\" matches " + matches.size()
          + " images in the local store; give more characters of the ID or a name");
    }
    return matches.get(0);
  }

  /** Reads the image a root denotes, picking the platform's entry when the root is an index. */
  public LocalImage read(Descriptor root, Platform platform) throws ZlayerException {
    RawManifest raw = readManifest(root);
    Manifest parsed = raw.parse();
    Optional<RawManifest> index = Optional.empty();
    if (parsed instanceof ImageIndex idx) {
      Descriptor chosen = idx.select(platform).orElseThrow(() -> new StoreException(
          "the manifest list " + root.digest().shortHex() + " has no image for " + platform));
      index = Optional.of(raw);
      raw = readManifest(chosen);
      parsed = raw.parse();
      if (!(parsed instanceof ImageManifest)) {
        throw new ImageFormatException("manifest list entry " + chosen.digest()
            + " is not an image manifest");
      }
    }
    ImageManifest manifest = (ImageManifest) parsed;
    ImageConfig config = ImageJson.parseConfig(store.readBlob(manifest.config().digest()));
    return new LocalImage(raw, manifest, config, index);
  }

  public LocalImage read(String nameOrId, Platform platform) throws ZlayerException {
    return read(findRoot(nameOrId).target(), platform);
  }

  public RawManifest readManifest(Descriptor d) throws StoreException {
    return new RawManifest(store.readBlob(d.digest()), d.mediaType(), d.digest());
  }

  private StoreException notFound(String text) {
    return StoreException.notFound("image \"" + text + "\" is not in the local store ("
        + store.location() + ")", "pull it first with: zlayer pull " + text);
  }

  /** A store root found by name or ID. */
  public record Root(Optional<ImageReference> name, Descriptor target) {
    public Digest digest() {
      return target.digest();
    }
  }
}
