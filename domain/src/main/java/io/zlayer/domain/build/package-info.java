/**
 * The build logic both engines share, so that they agree with Docker/BuildKit: what to build
 * ({@link io.zlayer.domain.build.BuildPlanner}) and what each instruction means ({@link
 * io.zlayer.domain.build.StageEvaluator}).
 *
 * <p>An engine plans with {@link io.zlayer.domain.build.BuildPlanner#plan}, pulls {@link
 * io.zlayer.domain.build.BuildPlan#externalImages()}, and (when base images carry ONBUILD
 * triggers with {@code --from}) plans again with their triggers. It then builds {@link
 * io.zlayer.domain.build.BuildPlan#stages()} wave by wave: for each stage it starts a {@link
 * io.zlayer.domain.build.StageEvaluator} from scratch, the base image's config or the {@link
 * io.zlayer.domain.build.FinishedStage} of the base stage, and performs the {@link
 * io.zlayer.domain.build.StepAction} of every {@link io.zlayer.domain.build.EvaluatedStep},
 * keying its cache on {@link io.zlayer.domain.build.CacheFacts}. The target's {@link
 * io.zlayer.domain.build.StageEvaluator#image()} plus the engine's layer diff IDs is the image
 * config to commit.
 *
 * <p>Where this follows BuildKit rather than the Dockerfile reference's wording: ENV and ARG share
 * one ordered build environment (a later definition wins, so an ARG after an ENV of the same name
 * wins for RUN while the image keeps the ENV); {@code FROM <name>} matches earlier stage names
 * exactly; {@code COPY --from} and {@code --mount from=} are never expanded (variables are an
 * error); a stage built from another stage inherits its ARGs. Not modelled: Windows path rules
 * (paths are treated as Unix paths), {@code SOURCE_DATE_EPOCH}, named contexts and BuildKit's
 * linter beyond the few warnings listed in {@link io.zlayer.domain.build.BuildPlan#warnings()}.
 */
package io.zlayer.domain.build;
