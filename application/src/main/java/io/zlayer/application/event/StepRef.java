package io.zlayer.application.event;

/**
 * Names one build step: the stage ({@code name} or its index), the step's position within the
 * stage, and the Dockerfile line it came from. {@link #id()} is stable for a build and unique.
 */
public record StepRef(String stage, int stageIndex, int stageCount, int step, int stepCount,
    int line) {

  public String id() {
    return stageIndex + "." + step;
  }

  /** The BuildKit-style label, e.g. {@code [build 2/5]} or {@code [stage-0 1/3]}. */
  public String label() {
    return "[" + stage + " " + step + "/" + stepCount + "]";
  }
}
