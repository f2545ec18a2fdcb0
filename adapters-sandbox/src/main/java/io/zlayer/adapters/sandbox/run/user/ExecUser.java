package io.zlayer.adapters.sandbox.run.user;

import java.util.List;

/**
 * The identity a RUN step executes as, resolved from a Dockerfile {@code USER} value against the
 * image's {@code /etc/passwd} and {@code /etc/group}.
 *
 * @param uid the user id
 * @param gid the primary group id
 * @param supplementaryGids the additional groups, in {@code /etc/group} order (may repeat, as
 *     Docker passes them through unchanged)
 * @param home the home directory runc would put in {@code HOME} when the image's environment has
 *     none: the first passwd entry with this uid, or {@code /}
 */
public record ExecUser(int uid, int gid, List<Integer> supplementaryGids, String home) {
  public ExecUser {
    supplementaryGids = List.copyOf(supplementaryGids);
    if (home == null || home.isEmpty()) {
      home = "/";
    }
  }
}
