package io.zlayer.domain.zimage;

import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.BuildPlanRequest;
import io.zlayer.domain.build.BuildPlanner;
import io.zlayer.domain.build.EvaluatedStep;
import io.zlayer.domain.build.FinishedStage;
import io.zlayer.domain.build.PlannedStage;
import io.zlayer.domain.build.StageBase;
import io.zlayer.domain.build.StageEvaluator;
import io.zlayer.domain.build.StageStart;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a Dockerfile through the whole front end as an engine would: plan, then evaluate every
 * planned stage (image bases get an empty config).
 */
public final class FrontEnd {
  public static final Platform AMD64 = Platform.of("linux", "amd64");

  private FrontEnd() {}

  /** Every stage's evaluated steps, and the target stage's final config. */
  public record Evaluation(BuildPlan plan, Map<Integer, List<EvaluatedStep>> steps,
      ContainerConfig config) {
    public List<EvaluatedStep> target() {
      return steps.get(plan.target().index());
    }
  }

  public static Evaluation evaluate(String dockerfile, String name, Map<String, String> args)
      throws Exception {
    BuildPlan plan = BuildPlanner.plan(new BuildPlanRequest(dockerfile, name, args,
        Optional.empty(), AMD64, AMD64));
    Map<Integer, List<EvaluatedStep>> steps = new HashMap<>();
    Map<Integer, FinishedStage> finished = new HashMap<>();
    ContainerConfig config = ContainerConfig.EMPTY;
    for (PlannedStage stage : plan.stages()) {
      StageStart start;
      if (stage.base() instanceof StageBase.Stage s) {
        start = StageStart.stage(finished.get(s.index()));
      } else if (stage.base() instanceof StageBase.Image) {
        start = StageStart.image(new ImageConfig(Optional.empty(), Optional.empty(), "amd64",
            "linux", Optional.empty(), Optional.empty(), ContainerConfig.EMPTY, List.of(),
            List.of()));
      } else {
        start = StageStart.scratch();
      }
      StageEvaluator evaluator = StageEvaluator.start(plan, stage, start);
      List<EvaluatedStep> list = new ArrayList<>();
      while (evaluator.hasNext()) {
        list.add(evaluator.next());
      }
      steps.put(stage.index(), list);
      finished.put(stage.index(), evaluator.finish());
      if (stage.index() == plan.target().index()) {
        config = evaluator.config();
      }
    }
    return new Evaluation(plan, steps, config);
  }
}
