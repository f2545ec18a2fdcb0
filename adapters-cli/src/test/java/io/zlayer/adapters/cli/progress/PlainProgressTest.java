package io.zlayer.adapters.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlainProgressTest {
  private final ManualClock clock = new ManualClock();
  private final StringWriter text = new StringWriter();
  private final PlainProgress plain = new PlainProgress(new PrintWriter(text), clock);

  @Test
  void scriptedBuild() {
    ScriptedBuild.firstHalf(plain, clock);
    ScriptedBuild.secondHalf(plain, clock);
    plain.close();
    assertEquals(String.join("\n",
        "#1 [base 1/2] FROM docker.io/library/alpine:3.20",
        "",
        "#2 exists 9c8d7e6f5a4b",
        "#2 CACHED",
        "",
        "#3 pulling 3f2a1b2c3d4e",
        "#3 12.3MB / 45.0MB 0.4s",
        "#3 28.0MB / 45.0MB 1.5s",
        "#3 DONE 1.6s",
        "#1 DONE 1.6s",
        "",
        "#4 [base 2/2] RUN apk add --no-cache make",
        "#4 CACHED",
        "",
        "#5 [build 1/3] RUN make",
        "#5 0.412 cc -o app main.c",
        "WARNING: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 3)",
        "#5 0.912 main.c:3: error: expected ';'",
        "#5 ERROR: process \"/bin/sh -c make\" did not complete successfully: exit code: 2",
        ""), text.toString());
  }

  @Test
  void progressIsPrintedAtMostOnceASecondAndOnlyWhenItMoved() {
    plain.accept(new BuildEvent.TransferStarted("a", "pushing a", 2_000));
    plain.accept(new BuildEvent.TransferProgress("a", 0, 2_000));
    clock.advanceMillis(999);
    plain.accept(new BuildEvent.TransferProgress("a", 500, 2_000));
    clock.advanceMillis(1);
    plain.accept(new BuildEvent.TransferProgress("a", 500, 2_000));
    clock.advanceMillis(1000);
    plain.accept(new BuildEvent.TransferProgress("a", 600, -1));
    assertEquals(String.join("\n",
        "#1 pushing a",
        "#1 0B / 2.0kB 0.0s",
        "#1 500B / 2.0kB 1.0s",
        "#1 600B 2.0s",
        ""), text.toString());
  }

  @Test
  void stepsStillOpenAtCloseAreCanceled() {
    plain.accept(new BuildEvent.StepStarted(ScriptedBuild.BASE_1, "FROM busybox"));
    plain.accept(new BuildEvent.StepFinished(ScriptedBuild.BASE_1, Duration.ofMillis(100)));
    plain.accept(new BuildEvent.StepStarted(ScriptedBuild.BUILD_1, "RUN sleep 60"));
    plain.accept(new BuildEvent.StepStarted(ScriptedBuild.BASE_2, "RUN sleep 60"));
    plain.close();
    plain.close();
    assertEquals(String.join("\n",
        "#1 [base 1/2] FROM busybox",
        "#1 DONE 0.1s",
        "",
        "#2 [build 1/3] RUN sleep 60",
        "",
        "#3 [base 2/2] RUN sleep 60",
        "#2 CANCELED",
        "#3 CANCELED",
        ""), text.toString());
  }

  @Test
  void eventsOfAStepNeverStartedGetAHeaderFromTheLabel() {
    plain.accept(new BuildEvent.StepCached(ScriptedBuild.BASE_2));
    plain.accept(new BuildEvent.TransferFinished("x", false));
    assertEquals(String.join("\n",
        "#1 [base 2/2]",
        "#1 CACHED",
        "",
        "#2 x",
        "#2 DONE 0.0s",
        ""), text.toString());
  }

  @Test
  void summaryAfterABlankLineAndNothingAfterClose() throws Exception {
    Digest id = Digest.sha256("config".getBytes());
    Digest manifest = Digest.sha256("manifest".getBytes());
    plain.summary(new BuildSummary(id, Optional.of(manifest),
        List.of(ImageReference.parse("app:1"), ImageReference.parse("ghcr.io/acme/app:1")),
        5_612_345, Duration.ofMillis(12_345), 3, 5));
    plain.close();
    plain.accept(new BuildEvent.Message(BuildEvent.Level.INFO, "late"));
    assertEquals(String.join("\n",
        "",
        "built " + id.shortHex() + " in 12.3s (5 steps, 3 cached)",
        "  image id  " + id,
        "  digest    " + manifest,
        "  size      5.61MB",
        "  tagged    app:1",
        "  tagged    ghcr.io/acme/app:1",
        ""), text.toString());
  }
}
