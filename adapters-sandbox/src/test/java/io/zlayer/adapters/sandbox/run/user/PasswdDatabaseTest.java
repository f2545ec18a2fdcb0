package io.zlayer.adapters.sandbox.run.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.domain.error.BuildException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswdDatabaseTest {
  private static final String PASSWD = String.join("\n",
      "root:x:0:0:root:/root:/bin/sh",
      "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
      "",
      "app:x:1000:1000:App:/home/app:/bin/sh\r",
      "toor:x:0:0::/toor:/bin/sh",
      "nohome:x:1001:1001:::/bin/sh",
      "broken:x:abc:1:::");
  private static final String GROUP = String.join("\n",
      "root:x:0:",
      "# a comment line",
      "wheel:x:10:app,root",
      "app:x:1000:",
      "staff:x:50:app",
      "docker:x:999:other",
      "   ",
      "audio:x:29:app");

  private final PasswdDatabase db = PasswdDatabase.of(PASSWD, GROUP);

  @ParameterizedTest(name = "USER {0}")
  @CsvSource(delimiter = '|', value = {
      // spec        | uid  | gid  | groups    | home
      "''            | 0    | 0    | ''        | /root",
      "root          | 0    | 0    | 10        | /root",
      "app           | 1000 | 1000 | 10 50 29  | /home/app",
      "1000          | 1000 | 1000 | 10 50 29  | /home/app",
      "app:staff     | 1000 | 50   | ''        | /home/app",
      "app:50        | 1000 | 50   | ''        | /home/app",
      "app:777       | 1000 | 777  | ''        | /home/app",
      "1000:staff    | 1000 | 50   | ''        | /home/app",
      "daemon:app    | 1    | 1000 | ''        | /usr/sbin",
      "1000:1000     | 1000 | 1000 | ''        | /home/app",
      "root:root     | 0    | 0    | ''        | /root",
      "root:0        | 0    | 0    | ''        | /root",
      "0             | 0    | 0    | 10        | /root",
      "4242          | 4242 | 0    | ''        | /",
      "4242:77       | 4242 | 77   | ''        | /",
      "4242:staff    | 4242 | 50   | ''        | /",
      "toor          | 0    | 0    | ''        | /root",
      "nohome        | 1001 | 1001 | ''        | /",
      "':staff'      | 0    | 50   | ''        | /root",
      "app:          | 1000 | 1000 | 10 50 29  | /home/app",
      "+1000         | 1000 | 1000 | 10 50 29  | /home/app",
  })
  void resolvesDockerUserForms(String spec, int uid, int gid, String groups, String home)
      throws BuildException {
    ExecUser user = db.resolve(spec);
    assertEquals(uid, user.uid(), "uid");
    assertEquals(gid, user.gid(), "gid");
    assertEquals(groups(groups), user.supplementaryGids(), "supplementary groups");
    assertEquals(home, user.home(), "home");
  }

  @Test
  void unknownUserNameFailsWithDockersWording() {
    BuildException e = assertThrows(BuildException.class, () -> db.resolve("nobody"));
    assertEquals("unable to find user nobody: no matching entries in passwd file",
        e.getMessage());
    BuildException withGroup = assertThrows(BuildException.class, () -> db.resolve("app2:app"));
    assertEquals("unable to find user app2: no matching entries in passwd file",
        withGroup.getMessage());
  }

  @Test
  void unknownGroupNameFailsWithDockersWording() {
    BuildException e = assertThrows(BuildException.class, () -> db.resolve("app:nogroup"));
    assertEquals("unable to find group nogroup: no matching entries in group file",
        e.getMessage());
  }

  @Test
  void idsOutsideTheRangeAreRejected() {
    for (String spec : List.of("-1", "2147483648", "2147483648:0", "0:4294967295",
        "app:-5", "99999999999999999999999")) {
      BuildException e = assertThrows(BuildException.class, () -> db.resolve(spec), spec);
      assertEquals("uids and gids must be in range 0-2147483647", e.getMessage(), spec);
    }
  }

  @Test
  void imageWithoutPasswdFileResolvesOnlyNumbers() throws BuildException {
    PasswdDatabase none = PasswdDatabase.of(Optional.empty(), Optional.of(GROUP));
    assertEquals(new ExecUser(1000, 0, List.of(), "/"), none.resolve("1000"));
    assertEquals(new ExecUser(0, 0, List.of(), "/"), none.resolve(""));
    assertEquals(new ExecUser(0, 50, List.of(), "/"), none.resolve("0:staff"));
    BuildException e = assertThrows(BuildException.class, () -> none.resolve("app"));
    assertEquals("unable to find user app: no matching entries in passwd file", e.getMessage());
  }

  @Test
  void imageWithoutGroupFileHasNoSupplementaryGroups() throws BuildException {
    PasswdDatabase noGroups = PasswdDatabase.of(Optional.of(PASSWD), Optional.empty());
    assertEquals(new ExecUser(1000, 1000, List.of(), "/home/app"), noGroups.resolve("app"));
    assertEquals(new ExecUser(1000, 42, List.of(), "/home/app"), noGroups.resolve("app:42"));
    BuildException e = assertThrows(BuildException.class, () -> noGroups.resolve("app:staff"));
    assertEquals("unable to find group staff: no matching entries in group file",
        e.getMessage());
  }

  @Test
  void emptyDatabaseTreatsRootByNameAsUnknownButNumbersAsValid() throws BuildException {
    PasswdDatabase empty = PasswdDatabase.empty();
    assertEquals(new ExecUser(0, 0, List.of(), "/"), empty.resolve("root:root"));
    assertThrows(BuildException.class, () -> empty.resolve("root"));
    assertEquals(new ExecUser(7, 8, List.of(), "/"), empty.resolve("7:8"));
  }

  @Test
  void brokenNumericFieldsReadAsZeroLikeMoby() throws BuildException {
    // "broken:x:abc:..." parses with uid 0, so a name lookup finds uid 0.
    assertEquals(0, db.resolve("broken").uid());
    assertEquals(1, db.resolve("broken").gid());
  }

  @Test
  void homeOfFollowsTheFirstEntryForTheUid() {
    assertEquals("/root", db.homeOf(0));
    assertEquals("/home/app", db.homeOf(1000));
    assertEquals("/", db.homeOf(31337));
  }

  private static List<Integer> groups(String text) {
    if (text.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(text.trim().split("\\s+")).map(Integer::valueOf).toList();
  }
}
