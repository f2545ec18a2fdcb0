package io.zlayer.adapters.sandbox.engine;

import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.Platform;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A step cache key: a sha256 chained from the key of the step before. Each part is hashed with
 * its length in front, so no two different part lists hash alike. Secret values never enter a
 * key; the parts are descriptions (CacheFacts), digests of sources and the identity of bases.
 *
 * @param digest the key
 */
record CacheKey(Digest digest) {
  private static final String VERSION = "zlayer sandbox cache v1";

  CacheKey {
    Objects.requireNonNull(digest, "digest");
  }

  /** The key a stage starts from: its base ("scratch", an image config, a stage) and platform. */
  static CacheKey stageStart(String baseIdentity, Platform platform) {
    return new CacheKey(hash(VERSION, "base", baseIdentity, "platform", platform.toString()));
  }

  /** The key of a step after this one, from what the step depends on. */
  CacheKey next(String... parts) {
    String[] all = new String[parts.length + 2];
    all[0] = VERSION;
    all[1] = digest.toString();
    System.arraycopy(parts, 0, all, 2, parts.length);
    return new CacheKey(hash(all));
  }

  String hex() {
    return digest.hex();
  }

  private static Digest hash(String... parts) {
    MessageDigest sha = Digest.newSha256();
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
      sha.update(bytes);
    }
    return new Digest(Digest.SHA256, HexFormat.of().formatHex(sha.digest()));
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
