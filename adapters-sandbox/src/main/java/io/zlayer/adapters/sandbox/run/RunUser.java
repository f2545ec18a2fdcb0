package io.zlayer.adapters.sandbox.run;

import io.zlayer.adapters.sandbox.run.user.ExecUser;
import java.util.List;

/** The resolved identity of a RUN step (see {@code user.PasswdDatabase}). */
public record RunUser(int uid, int gid, List<Integer> supplementaryGids) {
  public static final RunUser ROOT = new RunUser(0, 0, List.of());

  public RunUser {
    supplementaryGids = List.copyOf(supplementaryGids);
    if (uid < 0 || gid < 0 || supplementaryGids.stream().anyMatch(g -> g < 0)) {
      throw new IllegalArgumentException("negative uid or gid: " + uid + ":" + gid);
    }
  }

  public static RunUser of(ExecUser user) {
    return new RunUser(user.uid(), user.gid(), user.supplementaryGids());
  }
}
