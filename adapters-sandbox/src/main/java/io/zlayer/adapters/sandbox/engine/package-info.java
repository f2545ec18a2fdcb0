/**
 * zlayer's own build engine, {@link io.zlayer.adapters.sandbox.engine.SandboxBuildEngine}: it
 * performs the steps {@code io.zlayer.domain.build.StageEvaluator} evaluates, on layer
 * directories.
 *
 * <ul>
 *   <li>Stages run wave by wave, the stages of a wave on threads of their own; a failing stage
 *       stops its siblings ({@code BuildRun}).
 *   <li>Each filesystem step gets a fresh upper directory over the stage's layers: RUN in the
 *       bubblewrap sandbox on an overlay ({@code RunStep}, {@code RunMounts}), COPY/ADD through
 *       the {@link io.zlayer.adapters.sandbox.copy.FileCopier}, WORKDIR as a {@code mkdir -p}.
 *       A non-empty upper directory is written as a layer blob into the image store and renamed
 *       into {@code layers/<diff_id>} ({@code StageBuilder}, {@code LayerDirectories}).
 *   <li>Step cache keys chain from the stage's base (image config digest, base stage's key or
 *       scratch, and the platform) over each filesystem step's {@code CacheFacts}, the content
 *       digest of COPY sources and bind-mounted context paths, the identity of mounted stages
 *       and images, and the timestamp option (it changes the layer's times). Secret values never
 *       enter a key. Config-only steps do not change the key, as in BuildKit.
 *   <li>Cross-process safety: lock files ({@code LockFiles}) for layer unpacks, cache mounts and
 *       each build's scratch directory; everything becomes visible by an atomic rename.
 * </ul>
 */
package io.zlayer.adapters.sandbox.engine;
