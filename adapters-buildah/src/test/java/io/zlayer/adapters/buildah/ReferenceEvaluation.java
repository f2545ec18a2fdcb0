package io.zlayer.adapters.buildah;

import io.zlayer.application.image.StoredImageReader;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.FinishedStage;
import io.zlayer.domain.build.PlannedStage;
import io.zlayer.domain.build.StageBase;
import io.zlayer.domain.build.StageEvaluator;
import io.zlayer.domain.build.StageStart;
import io.zlayer.domain.image.ImageConfig;
import java.util.HashMap;
import java.util.Map;

/** Runs {@link StageEvaluator} over a plan alone, for the config an engine must produce. */
final class ReferenceEvaluation {
  private ReferenceEvaluation() {}

  static ImageConfig targetImage(BuildPlan plan, ImageStore store) throws Exception {
    Map<Integer, FinishedStage> finished = new HashMap<>();
    ImageConfig target = null;
    for (PlannedStage stage : plan.stages()) {
      StageStart start;
      if (stage.base() instanceof StageBase.Image i) {
        start = StageStart.image(new StoredImageReader(store)
            .read(store.resolve(i.reference()).orElseThrow(), stage.platform()).config());
      } else if (stage.base() instanceof StageBase.Stage s) {
        start = StageStart.stage(finished.get(s.index()));
      } else {
        start = StageStart.scratch();
      }
      StageEvaluator evaluator = StageEvaluator.start(plan, stage, start);
      while (evaluator.hasNext()) {
        evaluator.next();
      }
      finished.put(stage.index(), evaluator.finish());
      if (plan.isTarget(stage.index())) {
        target = evaluator.image();
      }
    }
    return target;
  }
}
