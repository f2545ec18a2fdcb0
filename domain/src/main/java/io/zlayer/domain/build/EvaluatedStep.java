package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.instructions.Instruction;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.HistoryEntry;
import java.util.Objects;
import java.util.Optional;

/**
 * One instruction of a stage, evaluated with Docker/BuildKit semantics.
 *
 * @param instruction the instruction as written (for an ONBUILD trigger: as parsed from the base
 *     image's config, located at the stage's FROM line)
 * @param expanded the instruction with its expandable fields expanded (the same object when
 *     nothing is expanded)
 * @param onbuildTrigger whether the step is an ONBUILD trigger inherited from the base
 * @param action what the engine has to do
 * @param history the history entry BuildKit records (none for ONBUILD); its {@code created} is
 *     left to the exporter
 * @param cacheFacts what the step's result depends on
 * @param config the container config after the step
 */
public record EvaluatedStep(
    Instruction instruction,
    Instruction expanded,
    boolean onbuildTrigger,
    StepAction action,
    Optional<HistoryEntry> history,
    CacheFacts cacheFacts,
    ContainerConfig config) {

  public EvaluatedStep {
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(expanded, "expanded");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(cacheFacts, "cacheFacts");
    Objects.requireNonNull(config, "config");
  }
}
