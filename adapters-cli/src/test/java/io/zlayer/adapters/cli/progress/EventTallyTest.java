package io.zlayer.adapters.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.application.event.BuildEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTallyTest {
  @Test
  void countsAndPassesEverythingOn() {
    List<BuildEvent> seen = new ArrayList<>();
    EventTally tally = new EventTally(seen::add);
    ManualClock clock = new ManualClock();
    ScriptedBuild.firstHalf(tally, clock);
    ScriptedBuild.secondHalf(tally, clock);
    assertEquals(16, seen.size());
    assertEquals(2, tally.stepsCompleted());
    assertEquals(1, tally.stepsCached());
    assertEquals(1, tally.stepsFailed());
    assertEquals(1, tally.transfersDone());
    assertEquals(1, tally.transfersSkipped());
  }
}
