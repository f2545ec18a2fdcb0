package io.zlayer.adapters.buildah;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.StepRef;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.image.StoredImageReader;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.EvaluatedStep;
import io.zlayer.domain.build.FileSource;
import io.zlayer.domain.build.FinishedStage;
import io.zlayer.domain.build.PlannedStage;
import io.zlayer.domain.build.StageBase;
import io.zlayer.domain.build.StageEvaluator;
import io.zlayer.domain.build.StageStart;
import io.zlayer.domain.build.StepAction;
import io.zlayer.domain.dockerfile.instructions.Instruction;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One build with buildah: every planned stage in order, each step of a stage turned into buildah
 * commands on a working container, one {@code buildah commit} per filesystem step (so the image
 * has BuildKit's layers), then the target exported into zlayer's store with the config {@code
 * StageEvaluator} computed. Everything it creates in buildah's storage (containers, intermediate
 * images, base images without a tag) is removed again in {@link #close()}, which also runs after
 * a failure or an interruption.
 */
final class BuildahBuild implements StepResources, AutoCloseable {
  private final BuildJob job;
  private final BuildPlan plan;
  private final BuildOptions options;
  private final ImageStore store;
  private final BuildahCli cli;
  private final BuildahSettings settings;
  private final BuildWorkspace workspace;
  private final String isolation;
  private final Optional<Path> ignoreFile;
  private final Map<Integer, StageResult> stages = new ConcurrentHashMap<>();
  private final Map<String, String> pulled = new HashMap<>();
  private final Deque<String> containers = new ConcurrentLinkedDeque<>();
  private final Deque<String> images = new ConcurrentLinkedDeque<>();
  private final Set<String> namesToRemove = Collections.synchronizedSet(new LinkedHashSet<>());
  private final AtomicInteger steps = new AtomicInteger();

  /**
   * How a stage ended.
   *
   * @param finished what later stages continue from
   * @param image the buildah image with the stage's filesystem (empty: scratch, no layers)
   * @param root the root base image of the stage chain (empty: scratch)
   * @param config the container config buildah's image has (the evaluator's at the last commit)
   * @param author the author buildah's image has
   * @param evaluated the stage's final {@code StageEvaluator.image()}
   */
  private record StageResult(FinishedStage finished, Optional<String> image,
      Optional<LocalImage> root, ContainerConfig config, Optional<String> author,
      ImageConfig evaluated) {}

  BuildahBuild(BuildJob job, ImageStore store, BuildahCli cli, BuildahSettings settings,
      BuildWorkspace workspace) {
    this.job = job;
    this.plan = job.plan();
    this.options = job.options();
    this.store = store;
    this.cli = cli;
    this.settings = settings;
    this.workspace = workspace;
    this.isolation = options.isolation().filter(s -> !s.isBlank())
        .orElse(settings.defaultIsolation());
    Path beside = job.dockerfile().resolveSibling(job.dockerfile().getFileName() + ".dockerignore");
    Path inContext = job.contextDir().resolve(".dockerignore");
    this.ignoreFile = Files.isRegularFile(beside) ? Optional.of(beside)
        : Files.isRegularFile(inContext) ? Optional.of(inContext) : Optional.empty();
  }

  BuiltImage run() throws ZlayerException, InterruptedException {
    if (options.format() == ImageFormat.DOCKER && options.compression() != LayerCompression.GZIP) {
      throw new UsageException("Docker format images need gzip layers",
          "use --format oci for " + options.compression().name().toLowerCase() + " layers");
    }
    if (!LayoutNames.isUsable(workspace.dir())) {
      throw new UsageException("the buildah backend cannot use " + workspace.dir()
          + " for temporary files: buildah names images after that path, so it must be lower"
          + " case letters, digits, '.', '_' and '-'", "set java.io.tmpdir to such a directory");
    }
    for (List<Integer> wave : plan.waves()) {
      if (wave.size() == 1) {
        PlannedStage stage = plan.stage(wave.get(0)).orElseThrow();
        stages.put(stage.index(), buildStage(stage));
      } else {
        buildInParallel(wave);
      }
    }
    return export(stages.get(plan.target().index()));
  }

  /**
   * Builds the stages of one wave (they depend only on earlier waves) at the same time. The
   * first failure, or an interruption of this thread, interrupts the others; all have ended
   * before this returns or throws, so cleanup never races a running stage.
   */
  private void buildInParallel(List<Integer> wave) throws ZlayerException, InterruptedException {
    int threads = Math.min(wave.size(),
        Math.max(2, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "zlayer-buildah-stage");
      t.setDaemon(true);
      return t;
    });
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int index : wave) {
        PlannedStage stage = plan.stage(index).orElseThrow();
        futures.add(pool.submit(() -> {
          stages.put(stage.index(), buildStage(stage));
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          futures.forEach(other -> other.cancel(true));
          Throwable cause = e.getCause();
          if (cause instanceof ZlayerException z) {
            throw z;
          }
          if (cause instanceof InterruptedException ie) {
            throw ie;
          }
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new BuildException("a stage failed: " + cause, cause);
        }
      }
    } catch (InterruptedException e) {
      futures.forEach(other -> other.cancel(true));
      throw e;
    } finally {
      pool.shutdownNow();
      boolean interrupted = Thread.interrupted();
      while (true) {
        try {
          if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
            break;
          }
        } catch (InterruptedException again) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------------------------- stages

  private StageResult buildStage(PlannedStage stage)
      throws ZlayerException, InterruptedException {
    StageStart start;
    Optional<String> image;
    Optional<LocalImage> root;
    ContainerConfig config;
    Optional<String> author;
    StageBase base = stage.base();
    if (base instanceof StageBase.Image i) {
      LocalImage local = readImage(i.reference(), stage.platform());
      start = StageStart.image(local.config());
      image = Optional.of(pullIntoBuildah(local, Optional.of(i.reference())));
      root = Optional.of(local);
      config = local.config().config();
      author = local.config().author();
    } else if (base instanceof StageBase.Stage s) {
      StageResult parent = stages.get(s.index());
      start = StageStart.stage(parent.finished());
      image = parent.image();
      root = parent.root();
      config = parent.config();
      author = parent.author();
    } else {
      start = StageStart.scratch();
      image = Optional.empty();
      root = Optional.empty();
      config = ContainerConfig.EMPTY;
      author = Optional.empty();
    }
    StageEvaluator evaluator = StageEvaluator.start(plan, stage, start);
    int stepCount = evaluator.remaining().size();
    Optional<String> container = Optional.empty();
    int position = plan.stages().indexOf(stage);
    for (int n = 1; evaluator.hasNext(); n++) {
      Instruction next = evaluator.remaining().get(0);
      StepRef ref = new StepRef(stage.displayName(), position, plan.stages().size(), n,
          stepCount, next.location().startLine());
      String where = plan.sourceName() + ":" + ref.line();
      job.events().accept(new BuildEvent.StepStarted(ref, next.original()));
      Instant began = Instant.now();
      try {
        EvaluatedStep step = evaluator.next();
        StepAction action = step.action();
        steps.incrementAndGet();
        if (action.producesLayer()) {
          if (container.isEmpty()) {
            container = Optional.of(newContainer(image, stage.platform()));
          }
          String ctr = container.get();
          perform(action, ctr, ref, where, step);
          List<String> flags = ConfigFlags.between(config, author, step.config(),
              evaluator.image().author());
          if (!flags.isEmpty()) {
            cli.config(ctr, flags);
          }
          String committed = cli.commit(ctr, options.format(), options.timestamp());
          images.push(committed);
          config = step.config();
          author = evaluator.image().author();
          removeContainer(ctr);
          container = Optional.empty();
          image = Optional.of(committed);
        }
        job.events().accept(new BuildEvent.StepFinished(ref,
            Duration.between(began, Instant.now())));
      } catch (CommandFailure f) {
        String message = where + ": " + oneLine(next.original()) + ": " + f.reason();
        job.events().accept(new BuildEvent.StepFailed(ref, message,
            Duration.between(began, Instant.now())));
        throw new BuildException(message, f.exitCode(), f.stderrTail(), null, f);
      } catch (ZlayerException e) {
        job.events().accept(new BuildEvent.StepFailed(ref, e.getMessage(),
            Duration.between(began, Instant.now())));
        throw e;
      } catch (IOException e) {
        String message = where + ": " + oneLine(next.original()) + ": " + e.getMessage();
        job.events().accept(new BuildEvent.StepFailed(ref, message,
            Duration.between(began, Instant.now())));
        throw new BuildException(message, e);
      }
    }
    return new StageResult(evaluator.finish(), image, root, config, author, evaluator.image());
  }

  private void perform(StepAction action, String ctr, StepRef ref, String where,
      EvaluatedStep step)
      throws ZlayerException, CommandFailure, InterruptedException, IOException {
    ProcessRunner.OutputSink sink = (line, stderr) ->
        job.events().accept(new BuildEvent.StepOutput(ref, line, stderr));
    if (action instanceof StepAction.RunCommand run) {
      try (RunInvocation invocation = RunInvocation.prepare(run, this, where)) {
        Optional<MountPointStubs> stubs = Optional.empty();
        if (settings.root()) {
          List<String> targets = new ArrayList<>(MountPointStubs.BUILDAH_TARGETS);
          targets.addAll(invocation.mountTargets());
          stubs = Optional.of(MountPointStubs.note(cli.mount(ctr), targets));
        }
        Deque<String> tail = new ArrayDeque<>();
        ProcessRunner.OutputSink recording = (line, stderr) -> {
          if (stderr && RunFailureText.isBuildahReport(line)) {
            return;
          }
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > ProcessRunner.Result.TAIL_LINES) {
              tail.removeFirst();
            }
          }
          sink.line(line, stderr);
        };
        try {
          cli.run(ctr, invocation.options(), invocation.argv(), recording);
        } catch (CommandFailure f) {
          List<String> output;
          synchronized (tail) {
            output = new ArrayList<>(tail);
          }
          throw new BuildException(where + ": " + oneLine(step.instruction().original()) + ": "
              + RunFailureText.reason(f), f.exitCode(), output, null, f);
        }
        if (stubs.isPresent()) {
          stubs.get().removeCreated();
        }
      }
    } else if (action instanceof StepAction.CopyFiles copy) {
      for (CopyInvocation.Call call : CopyInvocation.prepare(copy, this, where)) {
        cli.copy(copy.add(), ctr, call.options(), call.sources(), copy.destination(),
            call.workingDir(), sink);
      }
    } else if (action instanceof StepAction.CreateDirectory mkdir) {
      // buildah copy of an empty directory creates the path with its parents, owned by the
      // user like BuildKit's mkdir -p, leaves an existing directory alone, and needs no binary
      // in the image
      List<String> opts = new ArrayList<>();
      mkdir.user().ifPresent(u -> {
        opts.add("--chown");
        opts.add(u);
      });
      Path empty = newDirectory("empty");
      cli.copy(false, ctr, opts, List.of(empty.toString()), mkdir.path(), empty, sink);
    }
  }

  private String newContainer(Optional<String> image, Platform platform)
      throws CommandFailure, InterruptedException {
    String name = workspace.containerName();
    containers.push(name);
    return cli.from(image.orElse("scratch"), name, options.format(),
        image.isPresent() ? Optional.empty() : Optional.of(platform));
  }

  private void removeContainer(String name) throws CommandFailure, InterruptedException {
    cli.rm(name);
    containers.remove(name);
  }

  private static String oneLine(String text) {
    String first = text.strip().lines().findFirst().orElse("");
    return first.length() > 80 ? first.substring(0, 77) + "..." : first;
  }

  // ---------------------------------------------------------------------------------- images

  private LocalImage readImage(ImageReference reference, Platform platform)
      throws ZlayerException {
    Descriptor root = store.resolve(reference).orElseThrow(() -> StoreException.notFound(
        "base image " + reference.familiarString() + " is not in the local store ("
            + store.location() + ")", "pull it first with: zlayer pull "
            + reference.familiarString()));
    return new StoredImageReader(store).read(root, platform);
  }

  /**
   * Hands an image of zlayer's store to buildah through a one-image OCI layout and returns
   * buildah's image ID. A tagged base keeps its name in buildah's storage, as after a {@code
   * buildah pull}; the name buildah derives from the layout's path is removed.
   */
  private synchronized String pullIntoBuildah(LocalImage local, Optional<ImageReference> name)
      throws ZlayerException, InterruptedException {
    String key = local.manifestDescriptor().digest().toString();
    String known = pulled.get(key);
    if (known != null) {
      return known;
    }
    try {
      Path dir = workspace.newDirectory("image");
      boolean unchanged = OciLayouts.writeFromStore(dir, store, local.manifestDescriptor(), true);
      String id = cli.pull(dir);
      String pathName = LayoutNames.pulledName(dir);
      Optional<ImageReference> tagged = name.filter(r -> unchanged && r.tag().isPresent());
      if (tagged.isPresent()) {
        cli.tag(id, List.of(tagged.get().fullName() + ":" + tagged.get().tag().get()));
        cli.rmi(pathName);
      } else {
        namesToRemove.add(pathName);
      }
      pulled.put(key, id);
      return id;
    } catch (CommandFailure f) {
      throw new BuildException("cannot hand image " + name.map(ImageReference::familiarString)
          .orElse(key) + " to buildah: " + f.reason(), f);
    } catch (IOException e) {
      throw new StoreException("cannot write an OCI layout for buildah: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> imageFor(FileSource source)
      throws ZlayerException, CommandFailure, InterruptedException {
    if (source instanceof FileSource.StageOutput s) {
      StageResult result = stages.get(s.index());
      if (result == null) {
        throw new BuildException("stage " + s.index() + " was not built before it was used");
      }
      return result.image();
    }
    if (source instanceof FileSource.Image i) {
      return Optional.of(pullIntoBuildah(readImage(i.reference(), i.platform()),
          Optional.of(i.reference())));
    }
    return Optional.empty();
  }

  @Override
  public Path writableFilesystem(String image) throws CommandFailure, InterruptedException {
    String name = workspace.containerName();
    containers.push(name);
    cli.from(image, name, options.format(), Optional.empty());
    return cli.mount(name);
  }

  // ---------------------------------------------------------------------------------- export

  private BuiltImage export(StageResult target) throws ZlayerException, InterruptedException {
    Instant created = options.timestamp().orElseGet(Instant::now);
    ImageFormat format = options.format();
    List<Descriptor> rootLayers = target.root().map(r -> r.manifest().layers()).orElse(List.of());
    List<Digest> rootDiffIds = target.root().map(r -> r.config().diffIds()).orElse(List.of());
    int rootHistory = target.root().map(r -> r.config().history().size()).orElse(0);
    List<Digest> builtDiffIds = rootDiffIds;
    Optional<OciLayouts.PushedImage> pushed = Optional.empty();
    Optional<String> rootInBuildah;
    synchronized (this) {
      rootInBuildah = target.root()
          .map(r -> pulled.get(r.manifestDescriptor().digest().toString()));
    }
    boolean madeLayers = target.image().isPresent() && !target.image().equals(rootInBuildah);
    boolean rootNeedsCopy = rootLayers.stream()
        .anyMatch(l -> FinalImage.rename(l.mediaType(), format).isEmpty());
    boolean needsPush = target.image().isPresent() && (madeLayers || rootNeedsCopy);
    try {
      if (needsPush) {
        Path dir = workspace.newDirectory("export");
        cli.push(target.image().get(), dir, options.compression());
        pushed = Optional.of(OciLayouts.read(dir));
        builtDiffIds = pushed.get().config().diffIds();
      }
      FinalImage.Composed composed = FinalImage.compose(target.evaluated(), rootHistory,
          rootLayers, rootDiffIds, builtDiffIds,
          pushed.map(p -> p.manifest().layers()), format, options.compression(), created,
          options.labels());
      for (FinalImage.Layer layer : composed.layers()) {
        if (layer instanceof FinalImage.Layer.Pushed) {
          Digest d = layer.descriptor().digest();
          OciLayouts.importBlob(store, pushed.get().blobFile(d), d);
        }
      }
      byte[] configBytes = ImageJson.write(composed.config());
      Digest configDigest = store.putBlob(configBytes);
      ImageManifest manifest = new ImageManifest(format.manifestType(),
          Descriptor.of(format.configType(), configDigest, configBytes.length),
          composed.layers().stream().map(FinalImage.Layer::descriptor).toList());
      byte[] manifestBytes = ImageJson.write(manifest);
      Digest manifestDigest = store.putBlob(manifestBytes);
      Descriptor manifestDescriptor = Descriptor.of(format.manifestType(), manifestDigest,
          manifestBytes.length);
      keepInBuildah(manifestDescriptor);
      return new BuiltImage(manifestDescriptor, configDigest, composed.config(),
          manifest.contentSize(), steps.get(), 0);
    } catch (CommandFailure f) {
      throw new BuildException("cannot export the image from buildah: " + f.reason(), f);
    } catch (IOException e) {
      throw new StoreException("cannot export the image from buildah: " + e.getMessage(), e);
    }
  }

  /**
   * Puts the image just written to the store into buildah's storage under the build's tags, so
   * both hold the same image (same manifest digest). Without tags nothing could name it there.
   */
  private void keepInBuildah(Descriptor manifest)
      throws ZlayerException, CommandFailure, InterruptedException, IOException {
    List<ImageReference> tags = options.tags();
    if (tags.isEmpty()) {
      return;
    }
    Path dir = workspace.newDirectory("result");
    try {
      OciLayouts.writeFromStore(dir, store, manifest, false);
    } catch (ImageFormatException e) {
      throw new BuildException("cannot hand the image to buildah: " + e.getMessage(), e);
    }
    String id = cli.pull(dir);
    List<String> names = new ArrayList<>();
    for (ImageReference tag : tags) {
      names.add(tag.fullName() + ":" + tag.tag().orElse(ImageReference.DEFAULT_TAG));
    }
    cli.tag(id, names);
    cli.rmi(LayoutNames.pulledName(dir));
  }

  // ---------------------------------------------------------------------------------- cleanup

  /**
   * Removes containers, intermediate images and layout names, with the thread's interrupt
   * cleared so that an interrupted build still cleans up; the interrupt is restored afterwards.
   */
  @Override
  public void close() {
    boolean interrupted = Thread.interrupted();
    List<Cleanup> work = new ArrayList<>();
    while (!containers.isEmpty()) {
      String c = containers.pop();
      work.add(() -> cli.rm(c));
    }
    while (!images.isEmpty()) {
      String i = images.pop();
      work.add(() -> cli.rmi(i));
    }
    synchronized (namesToRemove) {
      for (String name : namesToRemove) {
        work.add(() -> cli.rmi(name));
      }
      namesToRemove.clear();
    }
    for (Cleanup c : work) {
      try {
        c.run();
      } catch (CommandFailure e) {
        // best effort: what is left shows in buildah containers / buildah images
      } catch (InterruptedException e) {
        interrupted = true;
      }
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Cleanup {
    void run() throws CommandFailure, InterruptedException;
  }

  // ---------------------------------------------------------------------------- resources

  @Override
  public Path contextDir() {
    return job.contextDir();
  }

  @Override
  public Optional<Path> ignoreFile() {
    return ignoreFile;
  }

  @Override
  public BuildOptions options() {
    return options;
  }

  @Override
  public String isolation() {
    return isolation;
  }

  @Override
  public Path cacheRoot() {
    return settings.cacheRoot();
  }

  @Override
  public boolean root() {
    return settings.root();
  }

  @Override
  public Path newDirectory(String purpose) throws IOException {
    return workspace.newDirectory(purpose);
  }
}
