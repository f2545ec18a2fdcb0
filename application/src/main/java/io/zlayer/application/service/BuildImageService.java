package io.zlayer.application.service;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.image.StoredImageReader;
import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.application.port.BuildEngine;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.ImageArchive;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.BuildPlanRequest;
import io.zlayer.domain.build.BuildPlanner;
import io.zlayer.domain.build.BuildWarning;
import io.zlayer.domain.build.ExternalImage;
import io.zlayer.domain.build.PlannedStage;
import io.zlayer.domain.build.StageBase;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A build from end to end: plan the Dockerfile, make sure the base images are in the store
 * (pulling per the pull policy, and planning again when base images carry ONBUILD triggers that
 * need other stages), let the chosen engine build, then name, export and push the result.
 */
public final class BuildImageService implements BuildImage {
  private final BuildEngines engines;
  private final ImageStore store;
  private final PullImage pull;
  private final PushImage push;
  private final ImageArchive archive;

  public BuildImageService(BuildEngines engines, ImageStore store, PullImage pull, PushImage push,
      ImageArchive archive) {
    this.engines = engines;
    this.store = store;
    this.pull = pull;
    this.push = push;
    this.archive = archive;
  }

  @Override
  public Result build(Command command) throws ZlayerException, InterruptedException {
    Instant started = Instant.now();
    if (!Files.isDirectory(command.contextDir())) {
      throw new UsageException("build context " + command.contextDir()
          + " is not a directory");
    }
    if (!command.outputs().isEmpty()) {
      namesFor(command);
    }
    BuildEngine engine = engines.select(command.backend());
    Platform host = Platform.host();
    Platform target = command.platform().orElse(host).normalized();
    BuildPlanRequest request = new BuildPlanRequest(command.dockerfileText(),
        command.dockerfile().getFileName().toString(), command.buildArgs(), command.target(),
        host, target);
    BuildPlan plan = BuildPlanner.plan(request);
    plan = resolveBaseImages(plan, request, command);
    for (BuildWarning w : plan.warnings()) {
      command.events().accept(new BuildEvent.Message(BuildEvent.Level.WARNING,
          w.describe(plan.sourceName())));
    }
    BuiltImage built = engine.build(new BuildJob(plan, command.contextDir().toAbsolutePath(),
        command.dockerfile().toAbsolutePath(), command.options().withTags(command.tags()),
        command.events()));
    Descriptor manifest = built.manifest();
    if (command.tags().isEmpty()) {
      store.addRoot(manifest);
    }
    for (ImageReference tag : command.tags()) {
      store.tag(tag, manifest);
    }
    Map<ImageReference, Digest> pushed = new LinkedHashMap<>();
    for (Output output : command.outputs()) {
      if (output instanceof Output.Registry) {
        for (ImageReference tag : command.tags()) {
          pushed.put(tag, push.push(new PushImage.Command(tag.toString(), Optional.of(tag),
              command.options().registryOptions(), command.events())));
        }
      } else if (output instanceof Output.OciArchive oci) {
        archive.save(namesFor(command), oci.file(), ArchiveFormat.OCI);
      } else if (output instanceof Output.DockerArchive docker) {
        archive.save(namesFor(command), docker.file(), ArchiveFormat.DOCKER);
      }
    }
    return new Result(built.configDigest(), manifest.digest(), command.tags(),
        built.contentSize(), Duration.between(started, Instant.now()), built.steps(),
        built.cachedSteps(), engine.name(), pushed);
  }

  /** Pushing and archives need a name; this is checked before anything is built. */
  private static List<ImageReference> namesFor(Command command) throws UsageException {
    if (command.tags().isEmpty()) {
      throw new UsageException("--push and --output need the image to have a name",
          "add -t REGISTRY/REPOSITORY:TAG");
    }
    return command.tags();
  }

  /**
   * Pulls what the plan needs and, when a base image has ONBUILD triggers, plans again with
   * them (a trigger such as {@code COPY --from=assets} can make another stage needed).
   */
  private BuildPlan resolveBaseImages(BuildPlan plan, BuildPlanRequest request, Command command)
      throws ZlayerException, InterruptedException {
    Map<ImageReference, LocalImage> resolved = new HashMap<>();
    for (int round = 0; round < 8; round++) {
      for (ExternalImage ext : plan.externalImages()) {
        if (!resolved.containsKey(ext.reference())) {
          resolved.put(ext.reference(), ensureLocal(ext, command));
        }
      }
      Map<Integer, List<String>> triggers = new HashMap<>();
      for (PlannedStage stage : plan.stages()) {
        if (stage.base() instanceof StageBase.Image image) {
          LocalImage base = resolved.get(image.reference());
          if (base != null && !base.config().config().onBuild().isEmpty()) {
            triggers.put(stage.index(), base.config().config().onBuild());
          }
        }
      }
      if (triggers.isEmpty()) {
        return plan;
      }
      BuildPlan again = BuildPlanner.plan(request, triggers);
      boolean complete = again.externalImages().stream()
          .allMatch(e -> resolved.containsKey(e.reference()));
      plan = again;
      if (complete) {
        return plan;
      }
    }
    return plan;
  }

  private LocalImage ensureLocal(ExternalImage ext, Command command)
      throws ZlayerException, InterruptedException {
    StoredImageReader reader = new StoredImageReader(store);
    if (command.pull() != PullPolicy.ALWAYS) {
      Optional<Descriptor> root = store.resolve(ext.reference());
      if (root.isPresent()) {
        try {
          LocalImage local = reader.read(root.get(), ext.platform());
          if (local.config().platform().normalized().matches(ext.platform())
              || local.index().isPresent()) {
            return local;
          }
        } catch (StoreException e) {
          if (!e.isNotFound()) {
            throw e;
          }
        }
      }
      if (command.pull() == PullPolicy.NEVER) {
        throw StoreException.notFound("base image " + ext.reference().familiarString() + " ("
            + ext.platform() + ") is not in the local store and --pull=never was given",
            "pull it first with: zlayer pull " + ext.reference().familiarString());
      }
    }
    return pull.pull(new PullImage.Command(ext.reference(), ext.platform(),
        command.options().registryOptions(), command.events()));
  }
}
