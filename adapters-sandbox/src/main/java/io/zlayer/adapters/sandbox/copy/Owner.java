package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.run.user.ExecUser;
import io.zlayer.adapters.sandbox.run.user.PasswdDatabase;
import io.zlayer.domain.error.BuildException;
import java.util.Optional;

/**
 * The owner {@code --chown} gives everything COPY writes, resolved like BuildKit's file
 * operation: a number is an id as is (a lone user id is the group id too), a user name gives the
 * user's id and primary group from the destination's {@code /etc/passwd}, a group name the id
 * from its {@code /etc/group}. A name that does not resolve is an error with the legacy
 * builder's words; {@code root} always resolves to 0.
 */
record Owner(int uid, int gid) {
  static final Owner ROOT = new Owner(0, 0);

  private static final String PREFIX = "unable to convert uid/gid chown string to host mapping: ";

  static Optional<Owner> resolve(Optional<String> chown, PasswdDatabase owners)
      throws CopyFailure {
    if (chown.isEmpty() || chown.get().isEmpty()) {
      return Optional.empty();
    }
    String spec = chown.get();
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    String group = colon < 0 ? "" : spec.substring(colon + 1);
    int uid;
    int gid;
    Optional<Long> userId = number(user);
    if (userId.isPresent()) {
      uid = id(userId.get());
      gid = uid;
    } else if (user.isEmpty()) {
      uid = 0;
      gid = 0;
    } else {
      try {
        ExecUser u = owners.resolve(user);
        uid = u.uid();
        gid = u.gid();
      } catch (BuildException e) {
        if (!user.equals("root")) {
          throw CopyFailure.bare(PREFIX + "can't find uid for user " + user + ": no such user: "
              + user);
        }
        uid = 0;
        gid = 0;
      }
    }
    if (!group.isEmpty()) {
      Optional<Long> groupId = number(group);
      if (groupId.isPresent()) {
        gid = id(groupId.get());
      } else {
        try {
          gid = owners.resolve("0:" + group).gid();
        } catch (BuildException e) {
          if (!group.equals("root")) {
            throw CopyFailure.bare(PREFIX + "can't find gid for group " + group
                + ": no such group: " + group);
          }
          gid = 0;
        }
      }
    }
    return Optional.of(new Owner(uid, gid));
  }

  private static Optional<Long> number(String text) {
    if (text.isEmpty() || text.length() > 10
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    long value = Long.parseLong(text);
    return value > 0xFFFF_FFFFL ? Optional.empty() : Optional.of(value);
  }

  private static int id(long value) throws CopyFailure {
    if (value > Integer.MAX_VALUE) {
      throw CopyFailure.bare(PREFIX + "uids and gids must be in range 0-" + Integer.MAX_VALUE);
    }
    return (int) value;
  }
}
