package io.zlayer.application;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.application.port.BuildCache;
import io.zlayer.application.port.ImageArchive;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.Registry;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.service.ArchiveImagesService;
import io.zlayer.application.service.BuildEngines;
import io.zlayer.application.service.BuildImageService;
import io.zlayer.application.service.InspectDockerfileService;
import io.zlayer.application.service.ManageLocalImagesService;
import io.zlayer.application.service.ManageManifestListsService;
import io.zlayer.application.service.PullImageService;
import io.zlayer.application.service.PushImageService;
import io.zlayer.application.service.ResolveBuildSourceService;
import io.zlayer.application.service.RunPipelineService;
import io.zlayer.application.usecase.ArchiveImages;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.InspectDockerfile;
import io.zlayer.application.usecase.ManageLocalImages;
import io.zlayer.application.usecase.ManageLocalImages.ImageSummary;
import io.zlayer.application.usecase.ManageManifestLists;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.application.usecase.ResolveBuildSource;
import io.zlayer.application.usecase.RunPipeline;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.pipeline.ZPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * zlayer as a library: the entry point for Java hosts that build, push and pull images without
 * the CLI. It wires the use cases over the ports it is given, so a host chooses every adapter
 * (the bootstrap module's {@code DefaultZlayer} gives the real ones). Registry logins are the
 * {@link Registry} adapter's business; a per-call login goes in {@link RegistryOptions}.
 *
 * <p>Thread-safe as far as the ports are: the use cases keep no state of their own.
 */
public final class Zlayer {
  private final ImageStore store;
  private final PullImage pull;
  private final PushImage push;
  private final ManageLocalImages localImages;
  private final ArchiveImages archiveImages;
  private final InspectDockerfile inspectDockerfile;
  private final BuildImage buildImage;
  private final ManageManifestLists manifestLists;
  private final ResolveBuildSource resolveBuildSource;
  private final RunPipeline runPipeline;
  private final RegistryOptions registryOptions;

  /**
   * @param store where images are kept
   * @param registry how registries are reached (pulls of base images, pushes)
   * @param engines the build engines a build may select by name
   * @param archive image archive files (save, load, archive outputs of a build)
   */
  public Zlayer(ImageStore store, Registry registry, BuildEngines engines,
      ImageArchive archive) {
    this(store, registry, engines, archive, List.of());
  }

  /**
   * @param buildCaches what the engines keep beside the store (unpacked layers, step cache),
   *     cleared by {@link #prune()} along with unreferenced blobs
   */
  public Zlayer(ImageStore store, Registry registry, BuildEngines engines,
      ImageArchive archive, List<BuildCache> buildCaches) {
    this.store = Objects.requireNonNull(store, "store");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(engines, "engines");
    Objects.requireNonNull(archive, "archive");
    this.pull = new PullImageService(registry, store);
    this.push = new PushImageService(registry, store);
    this.localImages = new ManageLocalImagesService(store, buildCaches);
    this.archiveImages = new ArchiveImagesService(store, archive);
    this.inspectDockerfile = new InspectDockerfileService();
    this.buildImage = new BuildImageService(engines, store, pull, push, archive);
    this.manifestLists = new ManageManifestListsService(store, push);
    this.resolveBuildSource = new ResolveBuildSourceService();
    this.runPipeline = new RunPipelineService(buildImage, push, manifestLists);
    this.registryOptions = RegistryOptions.DEFAULT;
  }

  private Zlayer(Zlayer base, RegistryOptions registryOptions) {
    this.store = base.store;
    this.pull = base.pull;
    this.push = base.push;
    this.localImages = base.localImages;
    this.archiveImages = base.archiveImages;
    this.inspectDockerfile = base.inspectDockerfile;
    this.buildImage = base.buildImage;
    this.manifestLists = base.manifestLists;
    this.resolveBuildSource = base.resolveBuildSource;
    this.runPipeline = base.runPipeline;
    this.registryOptions = Objects.requireNonNull(registryOptions, "registryOptions");
  }

  /** Without image archives: save, load and archive outputs fail with a clear error. */
  public Zlayer(ImageStore store, Registry registry, BuildEngines engines) {
    this(store, registry, engines, new UnavailableImageArchive());
  }

  /**
   * The same zlayer, reaching registries with these options (a login that overrides stored
   * ones, insecure hosts) in its pushes, pulls, builds and pipelines.
   */
  public Zlayer withRegistryOptions(RegistryOptions options) {
    return new Zlayer(this, options);
  }

  /** A build of the Dockerfile in {@code contextDir}; set it up, then {@link BuildRequest#run}. */
  public BuildRequest build(Path contextDir) {
    return new BuildRequest(buildImage, contextDir, registryOptions);
  }

  /**
   * Pushes a local image (name or ID) to {@code destination}, like {@code zlayer push}; returns
   * the manifest digest the registry stored.
   */
  public Digest push(String image, String destination, BuildEventSink listener)
      throws ZlayerException, InterruptedException {
    return push.push(new PushImage.Command(image, Optional.of(ImageReference.parse(destination)),
        registryOptions, listener));
  }

  /** Pushes a named local image to the registry its name points at. */
  public Digest push(String image, BuildEventSink listener)
      throws ZlayerException, InterruptedException {
    return push.push(new PushImage.Command(image, Optional.empty(), registryOptions,
        listener));
  }

  /** Pulls the host platform's image of {@code reference} into the store. */
  public LocalImage pull(String reference, BuildEventSink listener)
      throws ZlayerException, InterruptedException {
    return pull.pull(new PullImage.Command(ImageReference.parse(reference), Platform.host(),
        registryOptions, listener));
  }

  /** Gives the local image {@code source} (name or ID) the name {@code target}. */
  public void tag(String source, String target) throws ZlayerException {
    localImages.tag(source, ImageReference.parse(target));
  }

  /** Every image in the store, named or not, as {@code zlayer images} lists them. */
  public List<ImageSummary> images() throws ZlayerException {
    return localImages.list();
  }

  /** A local image (name or ID), the host platform's entry when it is a manifest list. */
  public LocalImage inspect(String nameOrId) throws ZlayerException {
    return localImages.inspect(nameOrId, Platform.host());
  }

  /** Removes names or images, like {@code zlayer rmi}; content stays until {@link #prune()}. */
  public List<String> remove(List<String> namesOrIds) throws ZlayerException {
    return localImages.remove(namesOrIds);
  }

  /** Deletes unreferenced blobs and the build caches' entries no stored image needs. */
  public ManageLocalImages.PruneSummary prune() throws ZlayerException {
    return localImages.prune();
  }

  public void save(List<String> names, Path file, ArchiveFormat format) throws ZlayerException {
    archiveImages.save(names, file, format);
  }

  public List<ImageReference> load(Path file) throws ZlayerException {
    return archiveImages.load(file);
  }

  /**
   * A run of {@code pipeline}, whose paths are relative to {@code baseDir}; set it up, then
   * {@link PipelineRequest#run}.
   */
  public PipelineRequest pipeline(ZPipeline pipeline, Path baseDir) {
    return new PipelineRequest(runPipeline, pipeline, baseDir, registryOptions);
  }

  /** Where the store lives ({@code oci:/home/u/.zlayer/store}). */
  public String storeLocation() {
    return store.location();
  }

  // The use cases themselves, for hosts that need every option of a command.

  public BuildImage buildImage() {
    return buildImage;
  }

  public PullImage pullImage() {
    return pull;
  }

  public PushImage pushImage() {
    return push;
  }

  public ManageLocalImages localImages() {
    return localImages;
  }

  public ArchiveImages archiveImages() {
    return archiveImages;
  }

  public InspectDockerfile inspectDockerfile() {
    return inspectDockerfile;
  }

  public ManageManifestLists manifestLists() {
    return manifestLists;
  }

  public ResolveBuildSource resolveBuildSource() {
    return resolveBuildSource;
  }

  public RunPipeline runPipeline() {
    return runPipeline;
  }
}
