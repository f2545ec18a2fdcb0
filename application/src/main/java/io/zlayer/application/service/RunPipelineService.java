package io.zlayer.application.service;

import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.ManageManifestLists;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.application.usecase.RunPipeline;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.pipeline.PipelineImage;
import io.zlayer.domain.pipeline.ZPipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a pipeline through {@link BuildImage}: one command per image (per platform for
 * multi-platform images, which then become manifest lists), waves one after another, the images
 * of a wave on a bounded pool. Once an image fails no further image starts: the rest of its
 * wave that has not begun and every later wave are skipped.
 */
public final class RunPipelineService implements RunPipeline {
  private final BuildImage build;
  private final PushImage push;
  private final ManageManifestLists manifests;

  public RunPipelineService(BuildImage build, PushImage push, ManageManifestLists manifests) {
    this.build = build;
    this.push = push;
    this.manifests = manifests;
  }

  /** An image ready to build: its names and platforms checked. */
  private record Plan(PipelineImage image, ImageSource source, List<ImageReference> tags,
      List<Platform> platforms, Map<String, String> buildArgs, BuildOptions options) {}

  @Override
  public Result run(Command command) throws ZlayerException, InterruptedException {
    Instant started = Instant.now();
    ZPipeline pipeline = command.pipeline();
    List<List<PipelineImage>> waves = pipeline.waves();
    Map<String, Plan> plans = new LinkedHashMap<>();
    for (List<PipelineImage> wave : waves) {
      for (PipelineImage image : wave) {
        plans.put(image.name(), plan(pipeline, image, command));
      }
    }
    PipelineEvents events = new PipelineEvents(command.events());
    Map<String, ImageOutcome> outcomes = new LinkedHashMap<>();
    boolean failed = false;
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, command.parallelism()),
        r -> {
          Thread t = new Thread(r, "zlayer-pipeline-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    try {
      for (int w = 0; w < waves.size(); w++) {
        List<PipelineImage> wave = waves.get(w);
        if (failed) {
          for (PipelineImage image : wave) {
            outcomes.put(image.name(), skipped(image, w));
          }
          continue;
        }
        List<String> names = wave.stream().map(PipelineImage::name).toList();
        events.message("wave " + (w + 1) + "/" + waves.size() + ": " + String.join(", ", names));
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<ImageOutcome>> running = new ArrayList<>();
        int waveIndex = w;
        for (PipelineImage image : wave) {
          Plan plan = plans.get(image.name());
          running.add(pool.submit(() -> stop.get() ? skipped(image, waveIndex)
              : buildOne(plan, command, events, waveIndex, stop)));
        }
        for (Future<ImageOutcome> f : running) {
          ImageOutcome outcome = await(f, running);
          outcomes.put(outcome.name(), outcome);
          failed |= outcome.status() == Status.FAILED;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<ImageOutcome> ordered = new ArrayList<>();
    for (String name : plans.keySet()) {
      ImageOutcome o = outcomes.get(name);
      ordered.add(!failed && command.push() ? pushAll(plans.get(name), o, command, events) : o);
    }
    List<List<String>> waveNames = new ArrayList<>();
    waves.forEach(w -> waveNames.add(w.stream().map(PipelineImage::name).toList()));
    return new Result(ordered, waveNames, Duration.between(started, Instant.now()));
  }

  private static ImageOutcome await(Future<ImageOutcome> f, List<Future<ImageOutcome>> all)
      throws InterruptedException, ZlayerException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      all.forEach(other -> other.cancel(true));
      throw e;
    } catch (ExecutionException e) {
      all.forEach(other -> other.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException ie) {
        throw ie;
      }
      if (cause instanceof ZlayerException z) {
        throw z;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }

  private Plan plan(ZPipeline pipeline, PipelineImage image, Command command)
      throws ZlayerException {
    ImageSource source = command.sources().get(image.name());
    if (source == null) {
      throw new IllegalArgumentException("no build file given for image " + image.name());
    }
    List<ImageReference> tags = new ArrayList<>();
    for (String t : image.tags()) {
      tags.add(ImageReference.parse(t));
    }
    List<Platform> platforms = new ArrayList<>();
    for (String p : pipeline.platformsFor(image)) {
      platforms.add(Platform.parse(p).normalized());
    }
    if (platforms.size() > 1 && tags.isEmpty()) {
      throw new UsageException("image " + image.name() + " is built for several platforms but "
          + "has no tags", "give it tags: the first names the manifest list");
    }
    BuildOptions base = command.options();
    ImageFormat format = pipeline.formatFor(image)
        .map(f -> f.equals("docker") ? ImageFormat.DOCKER : ImageFormat.OCI)
        .orElse(base.format());
    BuildOptions options = new BuildOptions(base.noCache() || pipeline.noCacheFor(image),
        format, base.compression(), base.secrets(), base.sshAgents(), base.timestamp(),
        base.labels(), base.isolation(), base.registryOptions());
    return new Plan(image, source, tags, platforms, pipeline.buildArgsFor(image), options);
  }

  /** Builds one image (each of its platforms); a build error becomes a failed outcome. */
  private ImageOutcome buildOne(Plan plan, Command command, PipelineEvents events, int wave,
      AtomicBoolean stop) throws InterruptedException {
    String name = plan.image().name();
    List<BuildImage.Result> results = new ArrayList<>();
    try {
      if (plan.platforms().size() <= 1) {
        Optional<Platform> platform = plan.platforms().stream().findFirst();
        results.add(build.build(command(plan, command, platform, plan.tags(),
            events, name)));
      } else {
        Map<Platform, ImageReference> firstTags = new LinkedHashMap<>();
        for (Platform platform : plan.platforms()) {
          List<ImageReference> tags = new ArrayList<>();
          for (ImageReference t : plan.tags()) {
            tags.add(t.withTag(t.tag().orElse(ImageReference.DEFAULT_TAG) + "-"
                + suffix(platform)));
          }
          results.add(build.build(command(plan, command, Optional.of(platform), tags, events,
              name + " " + platform)));
          firstTags.put(platform, tags.get(0));
        }
        for (ImageReference list : plan.tags()) {
          manifests.create(list, true);
          for (Map.Entry<Platform, ImageReference> e : firstTags.entrySet()) {
            manifests.add(list, e.getValue().toString(), Optional.of(e.getKey()));
          }
        }
      }
    } catch (ZlayerException e) {
      stop.set(true);
      events.warning(name + " failed: " + e.getMessage());
      return new ImageOutcome(name, Status.FAILED, wave, results, Optional.of(e.getMessage()),
          Map.of());
    }
    BuildImage.Result last = results.get(results.size() - 1);
    events.message(name + ": built " + last.imageId().shortHex()
        + (plan.tags().isEmpty() ? "" : " as " + plan.tags().get(0).familiarString()));
    return new ImageOutcome(name, Status.BUILT, wave, results, Optional.empty(), Map.of());
  }

  private static BuildImage.Command command(Plan plan, Command command,
      Optional<Platform> platform, List<ImageReference> tags, PipelineEvents events,
      String label) {
    ImageSource s = plan.source();
    return new BuildImage.Command(s.contextDir(), s.dockerfile(), s.dockerfileText(),
        plan.buildArgs(), Optional.empty(), platform, tags, plan.options(), command.backend(),
        command.pull(), List.of(), events.forBuild(label));
  }

  /** {@code linux/arm64/v8} becomes {@code arm64-v8}, as zlayer names per-platform tags. */
  static String suffix(Platform p) {
    return p.architecture() + p.variant().map(v -> "-" + v).orElse("");
  }

  private ImageOutcome pushAll(Plan plan, ImageOutcome built, Command command,
      PipelineEvents events) throws InterruptedException {
    String name = plan.image().name();
    if (plan.tags().isEmpty()) {
      events.warning(name + " has no tags: nothing to push");
      return built;
    }
    Map<ImageReference, Digest> pushed = new LinkedHashMap<>();
    Optional<String> error = Optional.empty();
    for (ImageReference tag : plan.tags()) {
      try {
        Digest digest = plan.platforms().size() > 1
            ? manifests.push(tag, tag, command.options().registryOptions(),
                events.forBuild(name))
            : push.push(new PushImage.Command(tag.toString(), Optional.of(tag),
                command.options().registryOptions(), events.forBuild(name)));
        pushed.put(tag, digest);
      } catch (ZlayerException e) {
        events.warning(name + ": push of " + tag.familiarString() + " failed: "
            + e.getMessage());
        if (error.isEmpty()) {
          error = Optional.of("push of " + tag.familiarString() + " failed: " + e.getMessage());
        }
      }
    }
    return new ImageOutcome(name, built.status(), built.wave(), built.builds(), error, pushed);
  }

  private static ImageOutcome skipped(PipelineImage image, int wave) {
    return new ImageOutcome(image.name(), Status.SKIPPED, wave, List.of(), Optional.empty(),
        Map.of());
  }
}
