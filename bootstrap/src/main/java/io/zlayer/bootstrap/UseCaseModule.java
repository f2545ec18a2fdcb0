package io.zlayer.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.zlayer.application.port.ImageArchive;
import io.zlayer.application.port.BuildCache;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.Registry;
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
import io.zlayer.application.usecase.ManageManifestLists;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.application.usecase.ResolveBuildSource;
import io.zlayer.application.usecase.RunPipeline;
import java.util.List;

/** The use cases, built from the ports. */
@Module
interface UseCaseModule {
  @Provides
  static PullImage pullImage(Registry registry, ImageStore store) {
    return new PullImageService(registry, store);
  }

  @Provides
  static PushImage pushImage(Registry registry, ImageStore store) {
    return new PushImageService(registry, store);
  }

  @Provides
  static ManageLocalImages localImages(ImageStore store, BuildCache sandboxCache) {
    return new ManageLocalImagesService(store, List.of(sandboxCache));
  }

  @Provides
  static ArchiveImages archiveImages(ImageStore store, ImageArchive archive) {
    return new ArchiveImagesService(store, archive);
  }

  @Provides
  static InspectDockerfile inspectDockerfile() {
    return new InspectDockerfileService();
  }

  @Provides
  static BuildImage buildImage(BuildEngines engines, ImageStore store, PullImage pull,
      PushImage push, ImageArchive archive) {
    return new BuildImageService(engines, store, pull, push, archive);
  }

  @Provides
  static ManageManifestLists manifestLists(ImageStore store, PushImage push) {
    return new ManageManifestListsService(store, push);
  }

  @Provides
  static ResolveBuildSource resolveBuildSource() {
    return new ResolveBuildSourceService();
  }

  @Provides
  static RunPipeline runPipeline(BuildImage build, PushImage push,
      ManageManifestLists manifests) {
    return new RunPipelineService(build, push, manifests);
  }
}
