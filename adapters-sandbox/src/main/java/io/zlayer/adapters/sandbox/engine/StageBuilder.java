package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.ScratchFiles;
import io.zlayer.adapters.sandbox.copy.CopyRequest;
import io.zlayer.adapters.sandbox.copy.FileCopier;
import io.zlayer.adapters.sandbox.layer.LayerBlob;
import io.zlayer.adapters.sandbox.layer.LayerDirWriter;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.LayerTarOptions;
import io.zlayer.adapters.sandbox.layer.LayerTarWriter;
import io.zlayer.adapters.sandbox.run.user.ExecUser;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.StepRef;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.EvaluatedStep;
import io.zlayer.domain.build.FinishedStage;
import io.zlayer.domain.build.PlannedStage;
import io.zlayer.domain.build.ResolvedMount;
import io.zlayer.domain.build.StageBase;
import io.zlayer.domain.build.StageEvaluator;
import io.zlayer.domain.build.StageStart;
import io.zlayer.domain.build.StepAction;
import io.zlayer.domain.build.StepAction.CopyFiles;
import io.zlayer.domain.build.StepAction.CreateDirectory;
import io.zlayer.domain.build.StepAction.RunCommand;
import io.zlayer.domain.dockerfile.instructions.MountType;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds one stage: starts a {@link StageEvaluator} from scratch, the base image or the base
 * stage, evaluates every instruction, then performs each filesystem step on the stage's layers,
 * one layer per step that changed something, each step first looked up in the step cache.
 */
final class StageBuilder {
  private static final int MAX_TEXT = 72;

  private final BuildRun run;
  private final PlannedStage stage;
  private final BuildPlan plan;
  private final BuildOptions options;
  private StageFilesystem filesystem = StageFilesystem.EMPTY;
  private CacheKey key;
  /** When the stage's newest layer was made: now for a step that ran, else its cache entry's. */
  private Optional<Instant> newestLayer = Optional.empty();

  StageBuilder(BuildRun run, PlannedStage stage) {
    this.run = run;
    this.stage = stage;
    this.plan = run.plan();
    this.options = run.options();
  }

  /** An evaluated step and the position of its history entry in the image (-1: none). */
  private record Evaluated(EvaluatedStep step, int historyIndex) {}

  BuildRun.StageResult build() throws ZlayerException, InterruptedException {
    StageBase base = stage.base();
    StageStart start;
    Optional<LocalImage> baseImage = Optional.empty();
    Optional<Instant> baseCreated = Optional.empty();
    if (base instanceof StageBase.Image image) {
      LocalImage local = run.readImage(image.reference(), stage.platform());
      baseImage = Optional.of(local);
      baseCreated = local.config().created();
      start = StageStart.image(local.config());
      key = CacheKey.stageStart("image " + local.manifest().config().digest(),
          stage.platform());
    } else if (base instanceof StageBase.Stage parent) {
      BuildRun.StageResult result = run.result(parent.index());
      start = StageStart.stage(result.finished());
      baseCreated = result.image().created();
      filesystem = result.filesystem();
      key = CacheKey.stageStart("stage " + result.key(), stage.platform());
    } else {
      start = StageStart.scratch();
      key = CacheKey.stageStart("scratch", stage.platform());
    }

    StageEvaluator evaluator = StageEvaluator.start(plan, stage, start);
    int history = evaluator.image().history().size();
    List<Evaluated> steps = new ArrayList<>();
    while (evaluator.hasNext()) {
      EvaluatedStep step = evaluator.next();
      steps.add(new Evaluated(step, step.history().isPresent() ? history++ : -1));
    }
    FinishedStage finished = evaluator.finish();
    ImageConfig image = evaluator.image();

    int layerSteps = (int) steps.stream().filter(e -> e.step().action().producesLayer()).count();
    int stepCount = layerSteps + (baseImage.isPresent() ? 1 : 0);
    int n = 0;
    if (baseImage.isPresent()) {
      StageBase.Image from = (StageBase.Image) base;
      StepRef ref = ref(++n, stepCount, stage.definition().from().location().startLine());
      filesystem = fromImage(ref, from, baseImage.get());
    }
    Set<Integer> emptyHistory = new HashSet<>();
    for (Evaluated e : steps) {
      if (!e.step().action().producesLayer()) {
        continue;
      }
      StepRef ref = ref(++n, stepCount, e.step().instruction().location().startLine());
      Optional<LayerRef> layer = step(e.step(), ref);
      if (layer.isPresent()) {
        filesystem = filesystem.with(layer.get());
      } else if (e.historyIndex() >= 0) {
        emptyHistory.add(e.historyIndex());
      }
    }
    Optional<Instant> created = newestLayer.isPresent() ? newestLayer : baseCreated;
    ImageConfig ended = complete(finished.image(), emptyHistory, created);
    FinishedStage result = new FinishedStage(finished.stageIndex(), ended,
        finished.environment(), finished.arguments(), finished.platform());
    return new BuildRun.StageResult(result, complete(image, emptyHistory, created), filesystem,
        key);
  }

  /**
   * The evaluator's config with this engine's layers and the history of empty steps fixed. The
   * new history entries and the image are dated {@code created} (the newest layer's time, so a
   * rebuild from the cache gives the same image, as BuildKit's does); with a build timestamp
   * they are left for the final image to date.
   */
  private ImageConfig complete(ImageConfig image, Set<Integer> emptyHistory,
      Optional<Instant> created) {
    Optional<Instant> dated = options.timestamp().isPresent() ? Optional.empty() : created;
    List<HistoryEntry> history = new ArrayList<>(image.history());
    for (int index = 0; index < history.size(); index++) {
      HistoryEntry h = history.get(index);
      boolean empty = h.emptyLayer() || emptyHistory.contains(index);
      history.set(index, new HistoryEntry(h.created().or(() -> dated), h.createdBy(), h.author(),
          h.comment(), empty));
    }
    return new ImageConfig(dated.or(image::created), image.author(), image.architecture(),
        image.os(), image.variant(), image.osVersion(), image.config(), filesystem.diffIds(),
        history);
  }

  private void noteLayerTime(Instant when) {
    if (newestLayer.isEmpty() || when.isAfter(newestLayer.get())) {
      newestLayer = Optional.of(when);
    }
  }

  private StepRef ref(int step, int stepCount, int line) {
    return new StepRef(stage.displayName(), stage.index(), plan.dockerfile().stages().size(),
        step, stepCount, line);
  }

  /** FROM an image: its layers unpacked (the step is cached when they all were already). */
  private StageFilesystem fromImage(StepRef ref, StageBase.Image from, LocalImage local)
      throws ZlayerException, InterruptedException {
    if (run.isUnpacked(local)) {
      run.emit(new BuildEvent.StepStarted(ref, stage.definition().from().original()));
      run.emit(new BuildEvent.StepCached(ref));
      run.countStep(true);
      return run.image(from.reference(), stage.platform()).filesystem();
    }
    long started = System.nanoTime();
    run.emit(new BuildEvent.StepStarted(ref, stage.definition().from().original()));
    try {
      StageFilesystem fs = run.image(from.reference(), stage.platform()).filesystem();
      run.emit(new BuildEvent.StepFinished(ref, since(started)));
      run.countStep(false);
      return fs;
    } catch (ZlayerException e) {
      run.emit(new BuildEvent.StepFailed(ref, e.getMessage(), since(started)));
      throw e;
    } // an interrupted step has no end event: the progress views show it CANCELED
  }

  /**
   * Performs one filesystem step, or takes it from the cache; returns its layer, if any. An
   * interrupted step has no end event: the progress views show it CANCELED.
   */
  private Optional<LayerRef> step(EvaluatedStep step, StepRef ref)
      throws ZlayerException, InterruptedException {
    if (Thread.interrupted() || run.cancel().isCancelled()) {
      throw new InterruptedException("the build was stopped");
    }
    String text = step.instruction().original();
    String location = plan.sourceName() + ":" + ref.line();
    String where = location + ": " + shortened(text);
    long started = System.nanoTime();
    boolean announced = false;
    Path upper = null;
    try {
      upper = newUpperDirectory(filesystem.stack());
      LayerStack stack = filesystem.stack();
      StepAction action = step.action();
      List<String> facts = new ArrayList<>();
      facts.add(step.cacheFacts().key());
      options.timestamp().ifPresent(t -> facts.add("timestamp " + t.getEpochSecond()));
      CopyRequest copy = null;
      if (action instanceof CopyFiles c) {
        copy = new CopyRequest(c, run.sourceTree(c.source()), stack, upper,
            BuildRun.passwd(stack, where), options.timestamp(), location);
        CacheKey shape = key.next(facts.toArray(new String[0]));
        if (options.noCache() || !run.stepCache().seenBefore(shape)) {
          // never seen (or not to be looked up): no need to hash the sources before copying
          run.emit(new BuildEvent.StepStarted(ref, text));
          announced = true;
          FileCopier.DigestedCopy done = run.copier().copyAndDigest(copy);
          facts.add("source " + done.sourceDigest());
          CacheKey next = key.next(facts.toArray(new String[0]));
          Optional<LayerRef> layer = commit(upper, next, where);
          upper = null;
          noteSeen(shape);
          return finished(layer, next, ref, started);
        }
        facts.add("source " + run.copier().sourceDigest(copy));
      } else if (action instanceof RunCommand r) {
        for (ResolvedMount m : r.mounts()) {
          if (m.mount().type() == MountType.BIND && m.source().isPresent()) {
            facts.add("bind " + m.target().orElse("") + " "
                + run.sourceIdentity(m.source().get(), m.mount().source(), location));
          }
        }
      }
      CacheKey next = key.next(facts.toArray(new String[0]));
      if (!options.noCache()) {
        Optional<Optional<LayerRef>> hit = reuse(next, where);
        if (hit.isPresent()) {
          noteLayerTime(run.stepCache().createdAt(next).orElse(run.now()));
          run.emit(new BuildEvent.StepStarted(ref, text));
          run.emit(new BuildEvent.StepCached(ref));
          run.countStep(true);
          key = next;
          return hit.get();
        }
      }
      run.emit(new BuildEvent.StepStarted(ref, text));
      announced = true;
      if (action instanceof RunCommand r) {
        new RunStep(run, stage, ref, location, where).run(r, filesystem, upper);
      } else if (action instanceof CopyFiles) {
        run.copier().copy(copy);
      } else if (action instanceof CreateDirectory d) {
        createDirectory(d, stack, upper, where);
      } else {
        throw new IllegalStateException("not a filesystem step: " + action);
      }
      Optional<LayerRef> layer = commit(upper, next, where);
      upper = null;
      return finished(layer, next, ref, started);
    } catch (ZlayerException e) {
      if (!announced) {
        run.emit(new BuildEvent.StepStarted(ref, text));
      }
      run.emit(new BuildEvent.StepFailed(ref, e.getMessage(), since(started)));
      throw e;
    } finally {
      if (upper != null) {
        ScratchFiles.deleteQuietly(upper);
      }
    }
  }

  private Optional<LayerRef> finished(Optional<LayerRef> layer, CacheKey next, StepRef ref,
      long started) {
    noteLayerTime(run.stepCache().createdAt(next).orElse(run.now()));
    run.emit(new BuildEvent.StepFinished(ref, since(started)));
    run.countStep(false);
    key = next;
    return layer;
  }

  private void noteSeen(CacheKey shape) {
    try {
      run.stepCache().noteSeen(shape);
    } catch (IOException e) {
      // a hint only: the next build hashes before it copies
    }
  }

  /** WORKDIR: {@code mkdir -p} owned by the USER in effect, as BuildKit's file operation. */
  private static void createDirectory(CreateDirectory d, LayerStack stack, Path upper,
      String where) throws BuildException {
    ExecUser user;
    try {
      user = BuildRun.passwd(stack, where).resolve(d.user().orElse(""));
    } catch (BuildException e) {
      throw new BuildException(where + ": " + e.getMessage(), e);
    }
    try {
      new LayerDirWriter(upper, stack).mkdirs(d.path(), user.uid(), user.gid(), 0755);
    } catch (IOException e) {
      throw new BuildException(where + ": cannot create " + d.path() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Turns a finished upper directory into the step's layer: nothing when it is empty, else the
   * layer blob streamed into the store and the directory renamed into the layer directories.
   * The cache entry is written last, so it only ever names complete layers.
   */
  private Optional<LayerRef> commit(Path upper, CacheKey next, String where)
      throws ZlayerException, InterruptedException {
    try {
      if (LayerTarWriter.isEmpty(upper)) {
        ScratchFiles.delete(upper);
        run.stepCache().record(next, CachedStep.noChange(), run.scratch());
        return Optional.empty();
      }
      run.warnAboutAttributesOnce();
      if (!plan.layersInImage(stage.index())) {
        // a stage that only feeds COPY --from and mounts: its layers are never compressed
        Digest diffId = new LayerTarWriter().diffId(upper, tarOptions());
        Path dir = run.layers().adopt(upper, diffId);
        run.stepCache().record(next, CachedStep.layer(diffId), run.scratch());
        return Optional.of(new LayerRef(Optional.empty(), diffId, dir));
      }
      LayerBlob blob = writeBlob(upper, where);
      Path dir = run.layers().adopt(upper, blob.diffId());
      run.stepCache().record(next, CachedStep.layer(blob.diffId(),
          new CachedStep.Blob(blob.compression(), blob.digest(), blob.size())), run.scratch());
      return Optional.of(new LayerRef(Optional.of(blob.descriptor(options.format())),
          blob.diffId(), dir));
    } catch (IOException e) {
      throw ioFailure(where + ": cannot store the step's layer", e);
    } finally {
      if (Files.exists(upper, LinkOption.NOFOLLOW_LINKS)) {
        ScratchFiles.deleteQuietly(upper);
      }
    }
  }

  /**
   * The step's cached result when it is still usable: a step without change, or a layer whose
   * directory exists and whose blob (in the compression asked for) is in the store or can be
   * written again from the directory. Empty for a miss.
   */
  private Optional<Optional<LayerRef>> reuse(CacheKey next, String where)
      throws ZlayerException, InterruptedException {
    Optional<CachedStep> entry;
    try {
      entry = run.stepCache().lookup(next);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    if (entry.get().diffId().isEmpty()) {
      return Optional.of(Optional.empty());
    }
    Digest diffId = entry.get().diffId().get();
    if (!run.layers().exists(diffId)) {
      return Optional.empty();
    }
    Path dir = run.layers().dir(diffId);
    if (!plan.layersInImage(stage.index())) {
      return Optional.of(Optional.of(new LayerRef(Optional.empty(), diffId, dir)));
    }
    Optional<CachedStep.Blob> blob = entry.get().blob(options.compression());
    if (blob.isPresent() && run.store().hasBlob(blob.get().digest())) {
      Descriptor d = Descriptor.of(MediaTypes.layerType(options.format(), options.compression()),
          blob.get().digest(), blob.get().size());
      return Optional.of(Optional.of(new LayerRef(Optional.of(d), diffId, dir)));
    }
    LayerBlob written = writeBlob(dir, where);
    if (!written.diffId().equals(diffId)) {
      return Optional.empty(); // the directory no longer gives the same layer: run again
    }
    try {
      run.stepCache().record(next, entry.get().with(new CachedStep.Blob(written.compression(),
          written.digest(), written.size())), run.scratch());
    } catch (IOException e) {
      throw ioFailure(where + ": cannot update the step cache", e);
    }
    return Optional.of(Optional.of(new LayerRef(Optional.of(written.descriptor(options.format())),
        diffId, dir)));
  }

  /** Writes a layer directory as a compressed tar blob into the store. */
  private LayerBlob writeBlob(Path dir, String where)
      throws ZlayerException, InterruptedException {
    try (BlobWriter writer = run.store().newBlobWriter()) {
      LayerBlob blob = new LayerTarWriter().write(dir, writer.stream(), tarOptions());
      writer.commit(Optional.of(blob.digest()));
      return blob;
    } catch (IOException e) {
      throw ioFailure(where + ": cannot write the layer", e);
    }
  }

  private LayerTarOptions tarOptions() {
    LayerTarOptions tar = LayerTarOptions.of(options.compression());
    return options.timestamp().map(tar::withSourceDateEpoch).orElse(tar);
  }

  /**
   * A fresh upper directory whose own mode and owner are those of the stage's root: overlayfs
   * shows them as the root's (a layer tar has no entry for the root directory itself).
   */
  private Path newUpperDirectory(LayerStack below) throws BuildException {
    try {
      Path upper = run.scratch().newRootDirectory("upper-");
      if (!below.layers().isEmpty()) {
        Path top = below.layers().get(0);
        Files.setAttribute(upper, "unix:uid", Files.getAttribute(top, "unix:uid"));
        Files.setAttribute(upper, "unix:gid", Files.getAttribute(top, "unix:gid"));
        Files.setAttribute(upper, "unix:mode",
            (Integer) Files.getAttribute(top, "unix:mode") & 07777);
      }
      return upper;
    } catch (IOException e) {
      throw new BuildException("cannot create a scratch directory in " + run.scratch().dir()
          + ": " + e.getMessage(), e);
    }
  }

  /** An I/O failure, or the interruption that caused it (interrupts close channels). */
  static BuildException ioFailure(String what, IOException e) throws InterruptedException {
    if (Thread.interrupted() || e instanceof java.io.InterruptedIOException
        || e instanceof java.nio.channels.ClosedByInterruptException) {
      InterruptedException interrupted = new InterruptedException(what + ": interrupted");
      interrupted.initCause(e);
      throw interrupted;
    }
    return new BuildException(what + ": " + e.getMessage(), e);
  }

  private static String shortened(String text) {
    String oneLine = text.replaceAll("\\s*\\n\\s*", " ");
    return oneLine.length() <= MAX_TEXT ? oneLine : oneLine.substring(0, MAX_TEXT - 1) + "…";
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
