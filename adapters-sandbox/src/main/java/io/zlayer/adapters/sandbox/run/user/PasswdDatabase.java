package io.zlayer.adapters.sandbox.run.user;

import io.zlayer.domain.error.BuildException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image's {@code /etc/passwd} and {@code /etc/group}, and the resolution of a Dockerfile
 * {@code USER} value against them exactly as BuildKit does it: a {@code uid:gid} pair of numbers
 * (or {@code root}) is taken as is without supplementary groups; every other form ({@code name},
 * {@code uid}, {@code name:group}, {@code uid:group}, {@code name:gid}) goes through runc's
 * {@code GetExecUser}, which adds the groups that list the matched user as a member when no group
 * was given. Parsing follows moby's {@code user} package (fields split on {@code :}, unparsable
 * numbers read as 0, {@code #} comments skipped in the group file only).
 */
public final class PasswdDatabase {
  private static final long MAX_ID = Integer.MAX_VALUE;

  private final Optional<List<PasswdEntry>> users;
  private final Optional<List<GroupEntry>> groups;

  private PasswdDatabase(Optional<List<PasswdEntry>> users, Optional<List<GroupEntry>> groups) {
    this.users = users;
    this.groups = groups;
  }

  /**
   * Parses the two files' contents; an empty optional stands for a file the image does not have.
   */
  public static PasswdDatabase of(Optional<String> passwd, Optional<String> group) {
    return new PasswdDatabase(passwd.map(PasswdDatabase::parsePasswd),
        group.map(PasswdDatabase::parseGroup));
  }

  public static PasswdDatabase of(String passwd, String group) {
    return of(Optional.of(passwd), Optional.of(group));
  }

  /** An image with neither file (only numeric users resolve). */
  public static PasswdDatabase empty() {
    return of(Optional.empty(), Optional.empty());
  }

  /**
   * Resolves a {@code USER} value. An empty value means root.
   *
   * @throws BuildException with Docker's wording, e.g. {@code unable to find user app: no
   *     matching entries in passwd file}
   */
  public ExecUser resolve(String userSpec) throws BuildException {
    if (userSpec.isEmpty()) {
      return new ExecUser(0, 0, List.of(), homeOf(0));
    }
    Optional<int[]> fast = numericPair(userSpec);
    if (fast.isPresent()) {
      int uid = fast.get()[0];
      return new ExecUser(uid, fast.get()[1], List.of(), homeOf(uid));
    }
    return execUser(userSpec);
  }

  /** runc's {@code HOME} default for a uid: the first passwd entry's home, else {@code /}. */
  public String homeOf(int uid) {
    for (PasswdEntry entry : users.orElse(List.of())) {
      if (entry.uid() == uid) {
        return entry.home().isEmpty() ? "/" : entry.home();
      }
    }
    return "/";
  }

  // BuildKit's fast path: both halves are numbers (unsigned 32-bit) or the word root.
  private static Optional<int[]> numericPair(String spec) throws BuildException {
    int colon = spec.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    Optional<Long> uid = unsigned32(spec.substring(0, colon));
    Optional<Long> gid = unsigned32(spec.substring(colon + 1));
    if (uid.isEmpty() || gid.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new int[] {checkRange(uid.get()), checkRange(gid.get())});
  }

  private static Optional<Long> unsigned32(String text) {
    if (text.equals("root")) {
      return Optional.of(0L);
    }
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    long value = Long.parseLong(text);
    return value > 0xFFFF_FFFFL ? Optional.empty() : Optional.of(value);
  }

  private static int checkRange(long id) throws BuildException {
    if (id < 0 || id > MAX_ID) {
      throw new BuildException("uids and gids must be in range 0-" + MAX_ID);
    }
    return (int) id;
  }

  private ExecUser execUser(String spec) throws BuildException {
    int colon = spec.indexOf(':');
    String userPart = colon < 0 ? spec : spec.substring(0, colon);
    String groupPart = colon < 0 ? "" : spec.substring(colon + 1);
    IdArg userArg = IdArg.parse(userPart);
    IdArg groupArg = IdArg.parse(groupPart);

    int uid = 0;
    int gid = 0;
    String matchedName = "";
    Optional<PasswdEntry> matched = users.orElse(List.of()).stream()
        .filter(u -> userArg == null ? u.uid() == 0 : userArg.matches(u.name(), u.uid()))
        .findFirst();
    if (matched.isPresent()) {
      matchedName = matched.get().name();
      uid = matched.get().uid();
      gid = matched.get().gid();
    } else if (userArg != null) {
      if (!userArg.numeric()) {
        throw new BuildException("unable to find user " + userArg.name()
            + ": no matching entries in passwd file");
      }
      uid = userArg.id();
    }

    List<Integer> supplementary = new ArrayList<>();
    if (groupArg != null || !matchedName.isEmpty()) {
      String member = matchedName;
      List<GroupEntry> found = groups.orElse(List.of()).stream()
          .filter(g -> groupArg == null ? g.members().contains(member)
              : groupArg.matches(g.name(), g.gid()))
          .toList();
      if (groupArg != null) {
        if (!found.isEmpty()) {
          gid = found.get(0).gid();
        } else if (!groupArg.numeric()) {
          throw new BuildException("unable to find group " + groupArg.name()
              + ": no matching entries in group file");
        } else {
          gid = groupArg.id();
        }
      } else {
        found.forEach(g -> supplementary.add(g.gid()));
      }
    }
    return new ExecUser(uid, gid, supplementary, homeOf(uid));
  }

  /** A user or group half of the spec: a name, or a number that is only ever matched as an id. */
  private record IdArg(String name, boolean numeric, int id) {
    static IdArg parse(String text) throws BuildException {
      if (text.isEmpty()) {
        return null;
      }
      Optional<Long> number = goAtoi(text);
      if (number.isEmpty()) {
        return new IdArg(text, false, 0);
      }
      return new IdArg(text, true, checkRange(number.get()));
    }

    boolean matches(String entryName, int entryId) {
      return numeric ? entryId == id : entryName.equals(name);
    }
  }

  // strconv.Atoi: optional sign, decimal digits; anything else is a name, not an error.
  private static Optional<Long> goAtoi(String text) throws BuildException {
    int start = text.charAt(0) == '+' || text.charAt(0) == '-' ? 1 : 0;
    if (start == text.length()) {
      return Optional.empty();
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    BigInteger value = new BigInteger(text);
    if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(MAX_ID)) > 0) {
      throw new BuildException("uids and gids must be in range 0-" + MAX_ID);
    }
    return Optional.of(value.longValueExact());
  }

  private record PasswdEntry(String name, int uid, int gid, String home) {}

  private record GroupEntry(String name, int gid, List<String> members) {}

  private static List<PasswdEntry> parsePasswd(String text) {
    List<PasswdEntry> out = new ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(":", -1);
      out.add(new PasswdEntry(field(f, 0), number(field(f, 2)), number(field(f, 3)),
          field(f, 5)));
    }
    return List.copyOf(out);
  }

  private static List<GroupEntry> parseGroup(String text) {
    List<GroupEntry> out = new ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":", -1);
      String list = field(f, 3);
      List<String> members = list.isEmpty() ? List.of() : List.of(list.split(",", -1));
      out.add(new GroupEntry(field(f, 0), number(field(f, 2)), members));
    }
    return List.copyOf(out);
  }

  private static String field(String[] fields, int index) {
    return index < fields.length ? fields[index] : "";
  }

  // moby parses ids with Atoi and ignores conversion errors (a broken entry reads as 0).
  private static int number(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
