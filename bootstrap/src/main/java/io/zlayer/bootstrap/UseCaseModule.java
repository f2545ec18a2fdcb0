package io.zlayer.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.zlayer.application.Zlayer;
import io.zlayer.application.port.ImageArchive;
import io.zlayer.application.port.BuildCache;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.Registry;
import io.zlayer.application.service.BuildEngines;
import io.zlayer.application.usecase.ArchiveImages;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.InspectDockerfile;
import io.zlayer.application.usecase.ManageLocalImages;
import io.zlayer.application.usecase.ManageManifestLists;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.application.usecase.ResolveBuildSource;
import io.zlayer.application.usecase.RunPipeline;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The use cases, built from the ports by the library facade: the CLI and embedding hosts
 * ({@link DefaultZlayer}) get the same wiring.
 */
@Module
interface UseCaseModule {
  @Provides
  @Singleton
  static Zlayer zlayer(ImageStore store, Registry registry, BuildEngines engines,
      ImageArchive archive, BuildCache sandboxCache) {
    return new Zlayer(store, registry, engines, archive, List.of(sandboxCache));
  }

  @Provides
  static PullImage pullImage(Zlayer zlayer) {
    return zlayer.pullImage();
  }

  @Provides
  static PushImage pushImage(Zlayer zlayer) {
    return zlayer.pushImage();
  }

  @Provides
  static ManageLocalImages localImages(Zlayer zlayer) {
    return zlayer.localImages();
  }

  @Provides
  static ArchiveImages archiveImages(Zlayer zlayer) {
    return zlayer.archiveImages();
  }

  @Provides
  static InspectDockerfile inspectDockerfile(Zlayer zlayer) {
    return zlayer.inspectDockerfile();
  }

  @Provides
  static BuildImage buildImage(Zlayer zlayer) {
    return zlayer.buildImage();
  }

  @Provides
  static ManageManifestLists manifestLists(Zlayer zlayer) {
    return zlayer.manifestLists();
  }

  @Provides
  static ResolveBuildSource resolveBuildSource(Zlayer zlayer) {
    return zlayer.resolveBuildSource();
  }

  @Provides
  static RunPipeline runPipeline(Zlayer zlayer) {
    return zlayer.runPipeline();
  }
}
