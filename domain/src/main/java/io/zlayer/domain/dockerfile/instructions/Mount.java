package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One resolved {@code RUN --mount}, with BuildKit's defaults applied. Empty values written as
 * {@code key=} count as absent, as in BuildKit.
 *
 * @param type the mount type (default bind)
 * @param from the stage or image to mount from (bind, cache)
 * @param source the path inside {@code from}, or the secret's file name
 * @param target where the mount appears in the container
 * @param readOnly read-only: true by default except for cache and tmpfs mounts
 * @param sizeLimit tmpfs size limit in bytes, 0 for none
 * @param id the cache or secret id
 * @param sharing the cache sharing mode, when given
 * @param required secret/ssh: fail when the client does not provide it
 * @param env secret: expose the secret as this environment variable (empty: the default name)
 * @param mode file mode for cache/secret/ssh mounts
 * @param uid owner for cache/secret/ssh mounts
 * @param gid group for cache/secret/ssh mounts
 */
public record Mount(
    MountType type,
    Optional<String> from,
    Optional<String> source,
    Optional<String> target,
    boolean readOnly,
    long sizeLimit,
    Optional<String> id,
    Optional<CacheSharing> sharing,
    boolean required,
    Optional<String> env,
    OptionalLong mode,
    OptionalLong uid,
    OptionalLong gid) {

  public Mount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sharing, "sharing");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(gid, "gid");
  }
}
