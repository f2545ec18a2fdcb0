package io.zlayer.domain.build;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.zlayer.domain.dockerfile.parser.GoQuote;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.Platform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Feeds arbitrary Dockerfiles through the whole front end: parse, typed instructions, plan, then
 * evaluate every planned stage (image bases get an empty config). Comment lines steer the run:
 * {@code # arg NAME=VALUE} adds a build arg, {@code # target NAME} picks the target, {@code #
 * onbuild TRIGGER} gives every image base that ONBUILD trigger (and the build is planned again
 * with them, as an engine does). The only failures allowed are {@link ZlayerException}s with a
 * one-line message; a successful plan must be consistent and every step well formed. In a normal
 * build this replays the seeds under {@code BuildPlannerFuzzTestInputs/planAndEvaluate}; {@code
 * JAZZER_FUZZ=1} fuzzes for real.
 */
class BuildPlannerFuzzTest {
  private static final Platform BUILD = Platform.of("linux", "amd64");
  private static final Platform TARGET = Platform.of("linux", "arm", "v7");

  @FuzzTest(maxDuration = "2m")
  void planAndEvaluate(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    Map<String, String> args = new LinkedHashMap<>();
    Optional<String> target = Optional.empty();
    List<String> triggers = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("# arg ") && line.indexOf('=') > 6) {
        int eq = line.indexOf('=');
        args.put(line.substring(6, eq), line.substring(eq + 1));
      } else if (line.startsWith("# target ")) {
        target = Optional.of(line.substring(9));
      } else if (line.startsWith("# onbuild ")) {
        triggers.add(line.substring(10).replace("\\n", "\n"));
      }
    }
    BuildPlanRequest request =
        new BuildPlanRequest(text, "Dockerfile", args, target, BUILD, TARGET);
    try {
      BuildPlan plan = BuildPlanner.plan(request);
      check(plan);
      if (!triggers.isEmpty()) {
        Map<Integer, List<String>> byStage = new HashMap<>();
        for (PlannedStage stage : plan.stages()) {
          if (stage.base() instanceof StageBase.Image) {
            byStage.put(stage.index(), triggers);
          }
        }
        plan = BuildPlanner.plan(request, byStage);
        check(plan);
      }
      evaluate(plan, triggers);
    } catch (ZlayerException e) {
      String message = e.getMessage();
      if (message == null || message.isEmpty() || message.indexOf('\n') >= 0
          || message.indexOf('\r') >= 0) {
        throw new AssertionError("error message is not one line: "
            + (message == null ? "null" : GoQuote.quote(message)), e);
      }
    }
  }

  private static void check(BuildPlan plan) {
    int total = plan.dockerfile().stages().size();
    Set<Integer> planned = new HashSet<>();
    int previous = -1;
    for (PlannedStage stage : plan.stages()) {
      expect(stage.index() > previous, "stages out of order");
      previous = stage.index();
      planned.add(stage.index());
      for (int dep : stage.stageDependencies()) {
        expect(dep < stage.index(), "stage " + stage.index() + " depends on later " + dep);
      }
    }
    expect(planned.contains(plan.target().index()), "target not planned");
    for (int unused : plan.unusedStages()) {
      expect(!planned.contains(unused), "stage both used and unused");
    }
    expect(planned.size() + plan.unusedStages().size() == total, "stages lost");
    Map<Integer, Integer> wave = new HashMap<>();
    for (int w = 0; w < plan.waves().size(); w++) {
      expect(!plan.waves().get(w).isEmpty(), "empty wave");
      for (int index : plan.waves().get(w)) {
        expect(wave.put(index, w) == null, "stage in two waves");
      }
    }
    expect(wave.keySet().equals(planned), "waves do not cover the stages");
    for (PlannedStage stage : plan.stages()) {
      for (int dep : stage.stageDependencies()) {
        expect(wave.get(dep) < wave.get(stage.index()), "dependency in a later wave");
      }
    }
  }

  private static void evaluate(BuildPlan plan, List<String> triggers) throws ZlayerException {
    Map<Integer, FinishedStage> finished = new HashMap<>();
    for (PlannedStage stage : plan.stages()) {
      StageStart start;
      if (stage.base() instanceof StageBase.Stage s) {
        start = StageStart.stage(finished.get(s.index()));
      } else if (stage.base() instanceof StageBase.Image) {
        ContainerConfig config = ContainerConfig.EMPTY.toBuilder().onBuild(triggers).build();
        start = StageStart.image(new ImageConfig(Optional.empty(), Optional.empty(), "arm",
            "linux", Optional.of("v7"), Optional.empty(), config, List.of(), List.of()));
      } else {
        start = StageStart.scratch();
      }
      StageEvaluator evaluator = StageEvaluator.start(plan, stage, start);
      while (evaluator.hasNext()) {
        check(evaluator.next());
      }
      finished.put(stage.index(), evaluator.finish());
      evaluator.image();
    }
  }

  private static void check(EvaluatedStep step) {
    expect(!step.cacheFacts().key().isEmpty(), "empty cache key");
    step.history().ifPresent(h -> expect(h.createdBy().isPresent(), "history without text"));
    StepAction action = step.action();
    if (action instanceof StepAction.RunCommand run) {
      expect(!run.argv().isEmpty(), "empty argv");
      expect(run.workingDir().startsWith("/"), "relative working dir " + run.workingDir());
      for (ResolvedMount m : run.mounts()) {
        m.target().ifPresent(t -> expect(t.startsWith("/") || !m.source().isPresent(),
            "relative mount target " + t));
      }
    } else if (action instanceof StepAction.CopyFiles copy) {
      expect(copy.destination().startsWith("/"), "relative destination " + copy.destination());
    } else if (action instanceof StepAction.CreateDirectory dir) {
      expect(dir.path().startsWith("/") && !dir.path().equals("/"), "bad mkdir " + dir.path());
    }
    if (step.history().isPresent()) {
      expect(step.history().get().emptyLayer() != action.producesLayer(),
          "history and action disagree about the layer");
    }
  }

  private static void expect(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
