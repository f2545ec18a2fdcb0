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

  /**
   * The process identity for a resolved user. As BuildKit's runc executor ({@code
   * ensureAdditionalGids}, taken from containerd after CVE-2023-25173), the primary group is
   * also a supplementary group, first, unless {@code /etc/group} already lists it: {@code USER
   * app} runs with groups {@code 1000}, not with none.
   */
  public static RunUser of(ExecUser user) {
    List<Integer> groups = user.supplementaryGids();
    if (!groups.contains(user.gid())) {
      List<Integer> withPrimary = new java.util.ArrayList<>(groups.size() + 1);
      withPrimary.add(user.gid());
      withPrimary.addAll(groups);
      groups = withPrimary;
    }
    return new RunUser(user.uid(), user.gid(), groups);
  }
}
