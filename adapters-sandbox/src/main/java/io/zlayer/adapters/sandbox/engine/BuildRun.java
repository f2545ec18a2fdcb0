package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.ScratchFiles;
import io.zlayer.adapters.sandbox.copy.CopyRequest;
import io.zlayer.adapters.sandbox.copy.FileCopier;
import io.zlayer.adapters.sandbox.copy.SourceTree;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.LayerStackFlattener;
import io.zlayer.adapters.sandbox.layer.LayerTarWriter;
import io.zlayer.adapters.sandbox.run.CancellationSignal;
import io.zlayer.adapters.sandbox.run.StepSandbox;
import io.zlayer.adapters.sandbox.run.user.PasswdDatabase;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.image.StoredImageReader;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.FileSource;
import io.zlayer.domain.build.PlannedStage;
import io.zlayer.domain.build.StepAction.CopyFiles;
import io.zlayer.domain.dockerfile.ignore.DockerIgnore;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One build of the sandbox engine: the plan's stages wave by wave (the stages of a wave in
 * parallel), then the target's image committed to the store. It owns what the stages share: the
 * build's scratch directory, the stages' results, base and source images read from the store,
 * filesystems materialized for bind mounts, the build context's ignore rules, the step counts.
 */
final class BuildRun {
  private final SandboxBuildEngine engine;
  private final BuildJob job;
  private final BuildScratch scratch;
  private final Instant now;
  private final CancellationSignal cancel = new CancellationSignal();
  private final ConcurrentMap<Integer, StageResult> results = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Once<SourceImage>> images = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Once<Path>> flattened = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Once<Digest>> contextDigests = new ConcurrentHashMap<>();
  private final Once<DockerIgnore> ignore = new Once<>();
  private final Once<Path> filteredContext = new Once<>();
  private final AtomicInteger steps = new AtomicInteger();
  private final AtomicInteger cachedSteps = new AtomicInteger();
  private final AtomicBoolean attributesWarned = new AtomicBoolean();

  BuildRun(SandboxBuildEngine engine, BuildJob job, BuildScratch scratch) {
    this.engine = engine;
    this.job = job;
    this.scratch = scratch;
    this.now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** When this build started, to the second: the time of the layers it makes. */
  Instant now() {
    return now;
  }

  /** A stage's outcome: how it ended, the image config to commit, its layers and cache key. */
  record StageResult(io.zlayer.domain.build.FinishedStage finished, ImageConfig image,
      StageFilesystem filesystem, CacheKey key) {}

  /** An image read from the store with its layers unpacked. */
  record SourceImage(LocalImage image, StageFilesystem filesystem) {
    Digest configDigest() {
      return image.manifest().config().digest();
    }
  }

  BuiltImage run() throws ZlayerException, InterruptedException {
    BuildOptions options = options();
    if (options.format() == ImageFormat.DOCKER && options.compression() != LayerCompression.GZIP) {
      throw new UsageException("the Docker image format needs gzip-compressed layers, not "
          + options.compression().name().toLowerCase(java.util.Locale.ROOT),
          "use --format oci, or gzip compression");
    }
    for (List<Integer> wave : plan().waves()) {
      runWave(wave);
    }
    StageResult target = results.get(plan().target().index());
    ImageConfig image = finalConfig(target.image());
    return ImageWriter.write(engine.store(), image, target.filesystem().layers(),
        options.format(), steps.get(), cachedSteps.get());
  }

  /**
   * The target's config: build labels added, creation times set (the timestamp, else the
   * stage's newest layer's time, else now).
   */
  private ImageConfig finalConfig(ImageConfig image) {
    Instant created = options().timestamp().or(image::created).orElse(now);
    ContainerConfig config = image.config();
    if (!options().labels().isEmpty()) {
      TreeMap<String, String> labels = new TreeMap<>(config.labels());
      labels.putAll(options().labels());
      config = config.toBuilder().labels(labels).build();
    }
    List<HistoryEntry> history = new ArrayList<>();
    for (HistoryEntry h : image.history()) {
      history.add(h.created().isPresent() ? h : new HistoryEntry(Optional.of(created),
          h.createdBy(), h.author(), h.comment(), h.emptyLayer()));
    }
    return image.withConfig(config).withHistory(history).withCreated(created);
  }

  // ------------------------------------------------------------------ stages in parallel

  private void runWave(List<Integer> wave) throws ZlayerException, InterruptedException {
    CountDownLatch done = new CountDownLatch(wave.size());
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> workers = new ArrayList<>();
    // A failing stage stops its siblings: their RUN is killed through the signal, anything
    // else sees the interrupt at its next step or blocking call.
    Runnable stopAll = () -> {
      cancel.cancel();
      synchronized (workers) {
        workers.forEach(Thread::interrupt);
      }
    };
    synchronized (workers) {
      for (int index : wave) {
        PlannedStage stage = plan().stage(index).orElseThrow();
        Thread worker = new Thread(() -> {
          try {
            results.put(index, new StageBuilder(this, stage).build());
          } catch (Throwable t) {
            failures.add(t);
            stopAll.run();
          } finally {
            done.countDown();
          }
        }, "zlayer-stage-" + stage.displayName());
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      stopAll.run();
      awaitUninterruptibly(done); // their cleanup is done before the build's scratch goes
      throw e;
    }
    if (!failures.isEmpty()) {
      rethrow(primary(failures));
    }
  }

  /** The failure to report: the first real one, not a sibling's interruption because of it. */
  private static Throwable primary(List<Throwable> failures) {
    synchronized (failures) {
      for (Throwable t : failures) {
        if (!(t instanceof InterruptedException)) {
          return t;
        }
      }
      return failures.get(0);
    }
  }

  private static void rethrow(Throwable t) throws ZlayerException, InterruptedException {
    if (t instanceof ZlayerException z) {
      throw z;
    }
    if (t instanceof InterruptedException i) {
      throw i;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    throw (Error) t;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ shared state

  BuildPlan plan() {
    return job.plan();
  }

  BuildOptions options() {
    return job.options();
  }

  ImageStore store() {
    return engine.store();
  }

  FileCopier copier() {
    return engine.copier();
  }

  LayerDirectories layers() {
    return engine.layerDirectories();
  }

  StepCache stepCache() {
    return engine.stepCache();
  }

  CacheMounts cacheMounts() {
    return engine.cacheMounts();
  }

  ForeignPlatforms foreignPlatforms() {
    return engine.foreignPlatforms();
  }

  StepSandbox stepSandbox() throws BuildException {
    return engine.stepSandbox();
  }

  BuildScratch scratch() {
    return scratch;
  }

  CancellationSignal cancel() {
    return cancel;
  }

  void emit(BuildEvent event) {
    job.events().accept(event);
  }

  void countStep(boolean cached) {
    steps.incrementAndGet();
    if (cached) {
      cachedSteps.incrementAndGet();
    }
  }

  StageResult result(int stageIndex) {
    StageResult r = results.get(stageIndex);
    if (r == null) {
      throw new IllegalStateException("stage " + stageIndex + " is used before it was built");
    }
    return r;
  }

  /** Warns once per build when file capabilities cannot be kept in layers. */
  void warnAboutAttributesOnce() {
    if (!LayerTarWriter.preservesAllAttributes() && attributesWarned.compareAndSet(false, true)) {
      emit(new BuildEvent.Message(BuildEvent.Level.WARNING, "getfattr/setfattr are not "
          + "installed: file capabilities (security.capability) are left out of layers; "
          + "install them with: apt-get install attr"));
    }
  }

  // ------------------------------------------------------------------ images from the store

  /**
   * An image BuildImageService put into the store under its reference (a stage base or a
   * {@code --from} source), read for {@code platform} and with its layers unpacked.
   */
  SourceImage image(ImageReference reference, Platform platform)
      throws ZlayerException, InterruptedException {
    String key = reference + "@" + platform;
    return images.computeIfAbsent(key, k -> new Once<>()).get(() -> {
      LocalImage local = readImage(reference, platform);
      return new SourceImage(local, unpack(local, reference.familiarString()));
    });
  }

  /** The manifest and config of an image in the store, nothing unpacked. */
  LocalImage readImage(ImageReference reference, Platform platform) throws ZlayerException {
    ImageStore store = store();
    Descriptor root = store.resolve(reference).orElseThrow(() -> StoreException.notFound(
        "image " + reference.familiarString() + " is not in the local store ("
            + store.location() + ")", "pull it first with: zlayer pull "
            + reference.familiarString()));
    return new StoredImageReader(store).read(root, platform);
  }

  /** Whether every layer of the image is unpacked already. */
  boolean isUnpacked(LocalImage image) {
    return image.config().diffIds().stream().allMatch(layers()::exists);
  }

  private StageFilesystem unpack(LocalImage image, String name)
      throws ZlayerException, InterruptedException {
    List<Descriptor> blobs = image.manifest().layers();
    List<Digest> diffIds = image.config().diffIds();
    if (blobs.size() != diffIds.size()) {
      throw new ImageFormatException("image " + name + " has " + blobs.size()
          + " layers but its config lists " + diffIds.size() + " diff_ids");
    }
    StageFilesystem fs = StageFilesystem.EMPTY;
    for (int i = 0; i < blobs.size(); i++) {
      Digest diffId = diffIds.get(i);
      layers().ensureUnpacked(diffId, store(), blobs.get(i), fs.stack(), scratch,
          warning -> emit(new BuildEvent.Message(BuildEvent.Level.WARNING, name + ": "
              + warning)));
      fs = fs.with(new LayerRef(Optional.of(blobs.get(i)), diffId, layers().dir(diffId)));
    }
    return fs;
  }

  // ------------------------------------------------------------------ COPY sources, mounts

  /** Where COPY/ADD (and bind mounts) read from. */
  SourceTree sourceTree(FileSource source)
      throws ZlayerException, InterruptedException {
    if (source instanceof FileSource.BuildContext) {
      return new SourceTree.Context(job.contextDir(), ignore());
    }
    return new SourceTree.Filesystem(filesystem(source).stack());
  }

  /** The filesystem of a stage, an image or scratch. */
  StageFilesystem filesystem(FileSource source) throws ZlayerException, InterruptedException {
    if (source instanceof FileSource.StageOutput s) {
      return result(s.index()).filesystem();
    }
    if (source instanceof FileSource.Image i) {
      return image(i.reference(), i.platform()).filesystem();
    }
    if (source instanceof FileSource.Scratch) {
      return StageFilesystem.EMPTY;
    }
    throw new IllegalArgumentException("the build context is no layer filesystem");
  }

  /** What a cache key records of a mount source: its identity, or for the context its files. */
  String sourceIdentity(FileSource source, Optional<String> path, String location)
      throws ZlayerException, InterruptedException {
    String sub = path.orElse("/");
    if (source instanceof FileSource.BuildContext) {
      return "context " + sub + " " + contextDigest(sub, location);
    }
    if (source instanceof FileSource.StageOutput s) {
      return "stage " + result(s.index()).key() + " " + sub;
    }
    if (source instanceof FileSource.Image i) {
      return "image " + image(i.reference(), i.platform()).configDigest() + " " + sub;
    }
    return "scratch";
  }

  private Digest contextDigest(String sub, String location)
      throws ZlayerException, InterruptedException {
    return contextDigests.computeIfAbsent(sub, k -> new Once<>()).get(() -> {
      String clean = cleanRelative(sub);
      Path unused;
      try {
        unused = scratch.newDirectory("digest-");
      } catch (IOException e) {
        throw new BuildException("cannot create a scratch directory in " + scratch.dir() + ": "
            + e.getMessage(), e);
      }
      CopyRequest request = new CopyRequest(contextCopy(clean.isEmpty() ? "." : clean),
          new SourceTree.Context(job.contextDir(), ignore()), LayerStack.empty(), unused,
          PasswdDatabase.empty(), Optional.empty(), location);
      try {
        return copier().sourceDigest(request);
      } finally {
        ScratchFiles.deleteQuietly(unused);
      }
    });
  }

  /** COPY of a context path to the root, as bind mounts of the context are described. */
  private static CopyFiles contextCopy(String source) {
    return new CopyFiles(false, new FileSource.BuildContext(), List.of(source), List.of(), "/",
        Optional.empty(), Optional.empty(), false, false, List.of(), false, Optional.empty(),
        Optional.empty());
  }

  /**
   * The host path a bind mount of {@code source} at {@code path} shows: the context (filtered
   * by its ignore file when it has one), or a stage's or image's filesystem materialized once
   * per build with hard links to the layer files (bind mounts are read-only, or writable through
   * a throwaway overlay, so the layers never change).
   */
  Path bindSource(FileSource source, Optional<String> path, String location)
      throws ZlayerException, InterruptedException {
    String sub = cleanRelative(path.orElse("/"));
    if (source instanceof FileSource.BuildContext) {
      Path root = ignore().isEmpty() ? job.contextDir() : filteredContext(location);
      return confined(root, sub, "the build context", location);
    }
    if (source instanceof FileSource.Scratch) {
      return confined(flattened("scratch", StageFilesystem.EMPTY), sub, "scratch", location);
    }
    StageFilesystem fs = filesystem(source);
    String name = source instanceof FileSource.StageOutput s
        ? "stage " + result(s.index()).key() : source.describe();
    Path root = flattened(name, fs);
    String resolved;
    try {
      resolved = fs.stack().resolve(sub);
    } catch (IOException e) {
      throw new BuildException(location + ": cannot resolve mount source /" + sub + ": "
          + e.getMessage(), e);
    }
    Path host = resolved.isEmpty() ? root : root.resolve(resolved);
    if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      throw new BuildException(location + ": mount source /" + sub + " not found in "
          + describe(source));
    }
    return host;
  }

  private String describe(FileSource source) {
    if (source instanceof FileSource.StageOutput s) {
      return "stage " + result(s.index()).finished().stageIndex();
    }
    if (source instanceof FileSource.Image i) {
      return "image " + i.reference().familiarString();
    }
    return source.describe();
  }

  private Path flattened(String name, StageFilesystem fs)
      throws ZlayerException, InterruptedException {
    return flattened.computeIfAbsent(name, k -> new Once<>()).get(() -> {
      try {
        Path dir = scratch.newRootDirectory("mount-");
        new LayerStackFlattener().flatten(fs.stack(), dir, LayerStackFlattener.Mode.HARD_LINK);
        return dir;
      } catch (IOException e) {
        throw new BuildException("cannot prepare the mount of " + name + ": " + e.getMessage(),
            e);
      }
    });
  }

  /** The context as the build sees it: with the ignore file's exclusions applied. */
  private Path filteredContext(String location) throws ZlayerException, InterruptedException {
    return filteredContext.get(() -> {
      try {
        Path dir = scratch.newRootDirectory("context-");
        CopyRequest request = new CopyRequest(contextCopy("."),
            new SourceTree.Context(job.contextDir(), ignore()), LayerStack.empty(), dir,
            PasswdDatabase.empty(), Optional.empty(), location);
        copier().copy(request);
        return dir;
      } catch (IOException e) {
        throw new BuildException("cannot prepare the build context for a bind mount: "
            + e.getMessage(), e);
      }
    });
  }

  /** {@code root/sub}, following symlinks, but never leaving {@code root}. */
  private static Path confined(Path root, String sub, String what, String location)
      throws BuildException {
    try {
      Path realRoot = root.toRealPath();
      Path candidate = sub.isEmpty() ? realRoot : realRoot.resolve(sub);
      if (!Files.exists(candidate)) {
        throw new BuildException(location + ": mount source /" + sub + " not found in " + what);
      }
      Path real = candidate.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw new BuildException(location + ": mount source /" + sub + " leads outside "
            + what);
      }
      return real;
    } catch (IOException e) {
      throw new BuildException(location + ": cannot read mount source /" + sub + " of " + what
          + ": " + e.getMessage(), e);
    }
  }

  /** Go's path.Clean of {@code "/" + path} without the leading slash: it cannot climb out. */
  static String cleanRelative(String path) {
    List<String> out = new ArrayList<>();
    for (String c : ("/" + path).split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        continue;
      }
      out.add(c);
    }
    return String.join("/", out);
  }

  /** The build context's ignore rules, from the file BuildKit would pick. */
  DockerIgnore ignore() throws ZlayerException, InterruptedException {
    return ignore.get(() -> {
      Path context = job.contextDir().toAbsolutePath().normalize();
      Path dockerfile = job.dockerfile().toAbsolutePath().normalize();
      Optional<String> file;
      if (dockerfile.startsWith(context)) {
        String relative = context.relativize(dockerfile).toString().replace('\\', '/');
        file = DockerIgnore.ignoreFileFor(relative,
            p -> Files.isRegularFile(context.resolve(p)));
      } else {
        file = Files.isRegularFile(context.resolve(DockerIgnore.FILE_NAME))
            ? Optional.of(DockerIgnore.FILE_NAME) : Optional.empty();
      }
      if (file.isEmpty()) {
        return DockerIgnore.none();
      }
      try {
        return DockerIgnore.parse(file.get(),
            Files.readString(context.resolve(file.get()), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new BuildException("cannot read " + context.resolve(file.get()) + ": "
            + e.getMessage(), e);
      }
    });
  }

  /** The users and groups of a filesystem, from its /etc/passwd and /etc/group. */
  static PasswdDatabase passwd(LayerStack stack, String location) throws BuildException {
    return PasswdDatabase.of(readIfPresent(stack, "/etc/passwd", location),
        readIfPresent(stack, "/etc/group", location));
  }

  private static Optional<String> readIfPresent(LayerStack stack, String path, String location)
      throws BuildException {
    try (InputStream in = stack.readFile(path)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BuildException(location + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** A value computed at most once, by the first caller; others wait for it. */
  static final class Once<T> {
    private T value;

    interface Computation<T> {
      T compute() throws ZlayerException, InterruptedException;
    }

    synchronized T get(Computation<T> computation) throws ZlayerException, InterruptedException {
      if (value == null) {
        value = computation.compute();
      }
      return value;
    }
  }
}
