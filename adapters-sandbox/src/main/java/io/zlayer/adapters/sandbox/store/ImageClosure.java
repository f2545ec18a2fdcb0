package io.zlayer.adapters.sandbox.store;

import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.MediaTypes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The blobs an image root reaches: an index, the manifests it lists, their configs and layers
 * (and the subjects of referrers). Two modes:
 *
 * <ul>
 *   <li>complete (before naming a root): the root must be there, and every image manifest that is
 *       there must have its config and layers, with the sizes its descriptors say. An index may
 *       be sparse: a pull of one platform stores the index but only that platform's manifest.
 *       Foreign layers (with {@code urls}) may be absent.
 *   <li>present (for prune): whatever is there, nothing required.
 * </ul>
 *
 * In both modes a manifest that is there but corrupt or unparsable is an error: prune must not
 * guess what it would have kept.
 */
final class ImageClosure {
  /** Where the blobs come from. */
  interface Source {
    /** The blob's size, or empty when it is not there. */
    OptionalLong size(Digest digest) throws StoreException;

    /** The blob's content, verified against its digest. */
    byte[] read(Digest digest) throws StoreException;

    /** Where the blobs live, for messages: "the local store (/root/.zlayer/store)". */
    String where();
  }

  /** The root as stored (media type filled in) and every blob reached, root first. */
  record Result(Descriptor root, Map<Digest, Descriptor> blobs) {
    Result {
      blobs = Collections.unmodifiableMap(new LinkedHashMap<>(blobs));
    }
  }

  private final Source source;
  private final boolean complete;
  private final String label;
  private final Map<Digest, Descriptor> blobs = new LinkedHashMap<>();

  private ImageClosure(Source source, boolean complete, String label) {
    this.source = source;
    this.complete = complete;
    this.label = label;
  }

  /**
   * Walks from {@code root}. {@code label} names the image in messages, e.g. the quoted reference.
   */
  static Result walk(Source source, Descriptor root, boolean complete, String label)
      throws StoreException {
    ImageClosure walk = new ImageClosure(source, complete, label);
    Descriptor stored = walk.visit(root, "manifest", null, true, true);
    return new Result(stored == null ? root : stored, walk.blobs);
  }

  private Descriptor visit(Descriptor d, String role, Digest parent, boolean required,
      boolean isRoot) throws StoreException {
    if (blobs.containsKey(d.digest())) {
      return blobs.get(d.digest());
    }
    OptionalLong size = source.size(d.digest());
    if (size.isEmpty()) {
      if (complete && required) {
        throw new StoreException("image " + label + " is incomplete: " + what(role, d, parent)
            + " is not in " + source.where());
      }
      return null;
    }
    if (complete && size.getAsLong() != d.size()) {
      throw new StoreException("image " + label + ": the descriptor of " + what(role, d, parent)
          + " says " + d.size() + " bytes but the stored blob has " + size.getAsLong());
    }
    boolean manifestLike = MediaTypes.isManifest(d.mediaType())
        || (isRoot && d.mediaType().isEmpty());
    if (!manifestLike) {
      if (isRoot && complete) {
        throw new StoreException("image " + label + " cannot point at " + d.digest()
            + ": its media type \"" + d.mediaType() + "\" is not an image manifest or index");
      }
      blobs.put(d.digest(), d);
      return d;
    }
    Manifest m;
    try {
      m = ImageJson.parseManifest(source.read(d.digest()), d.mediaType());
    } catch (ImageFormatException e) {
      throw new StoreException("image " + label + ": " + what(role, d, parent) + " in "
          + source.where() + " is malformed: " + e.getMessage());
    }
    if (complete && !d.mediaType().isEmpty() && !d.mediaType().equals(m.mediaType())) {
      throw new StoreException("image " + label + ": the descriptor of " + what(role, d, parent)
          + " says media type " + d.mediaType() + " but the manifest says " + m.mediaType());
    }
    Descriptor stored = d.mediaType().isEmpty() ? d.withMediaType(m.mediaType()) : d;
    blobs.put(d.digest(), stored);
    if (m instanceof ImageIndex index) {
      for (Descriptor child : index.manifests()) {
        visit(child, "manifest", d.digest(), false, false);
      }
    } else if (m instanceof ImageManifest image) {
      visit(image.config(), "config", d.digest(), true, false);
      for (Descriptor layer : image.layers()) {
        visit(layer, "layer", d.digest(), layer.urls().isEmpty(), false);
      }
      if (image.subject().isPresent()) {
        visit(image.subject().get(), "subject", d.digest(), false, false);
      }
    }
    return stored;
  }

  private static String what(String role, Descriptor d, Digest parent) {
    return role + " " + d.digest() + (parent == null ? "" : " of manifest " + parent);
  }
}
