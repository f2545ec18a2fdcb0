package io.zlayer.adapters.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.adapters.sandbox.run.user.ExecUser;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunUserTest {
  @Test
  void thePrimaryGroupIsAlsoASupplementaryGroupAsInBuildKit() {
    assertEquals(new RunUser(1000, 1000, List.of(1000)),
        RunUser.of(new ExecUser(1000, 1000, List.of(), "/home/app")));
    assertEquals(new RunUser(1000, 1000, List.of(1000, 20, 30)),
        RunUser.of(new ExecUser(1000, 1000, List.of(20, 30), "/home/app")));
  }

  @Test
  void aPrimaryGroupThatEtcGroupAlreadyListsKeepsTheListAsItIs() {
    assertEquals(new RunUser(0, 0, List.of(10, 0, 1)),
        RunUser.of(new ExecUser(0, 0, List.of(10, 0, 1), "/root")));
  }
}
