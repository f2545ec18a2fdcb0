package io.zlayer.adapters.registry;

import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;

/**
 * What a request was about, for error messages: a noun ("manifest", "blob", "repository") and
 * how to show it ({@code 127.0.0.1:5000/foo:tag}).
 *
 * @param repository the repository with its registry ({@code 127.0.0.1:5000/foo})
 */
record Subject(String noun, String display, String registry, String repository, boolean push) {

  static Subject repository(ImageReference ref, boolean push) {
    return new Subject("repository", ref.fullName(), ref.registry(), ref.fullName(), push);
  }

  static Subject manifest(ImageReference ref, String tagOrDigest, boolean push) {
    String sep = Digest.isValid(tagOrDigest) ? "@" : ":";
    return new Subject("manifest", ref.fullName() + sep + tagOrDigest, ref.registry(),
        ref.fullName(), push);
  }

  static Subject blob(ImageReference ref, Digest digest, boolean push) {
    return new Subject("blob", ref.fullName() + "@" + digest, ref.registry(), ref.fullName(),
        push);
  }

  static Subject upload(ImageReference ref, Digest digest) {
    return new Subject("blob upload", ref.fullName() + "@" + digest, ref.registry(),
        ref.fullName(), true);
  }

  static Subject tags(ImageReference ref) {
    return new Subject("tag list", ref.fullName(), ref.registry(), ref.fullName(), false);
  }
}
