package io.zlayer.adapters.cli;

import io.zlayer.application.usecase.ArchiveImages;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.InspectDockerfile;
import io.zlayer.application.usecase.ManageLocalImages;
import io.zlayer.application.usecase.ManageManifestLists;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.application.usecase.PushImage;
import io.zlayer.application.usecase.ResolveBuildSource;
import io.zlayer.application.usecase.RunPipeline;

/**
 * The use cases the CLI drives. The bootstrap's Dagger component implements this, so the CLI
 * never constructs an adapter itself.
 */
public interface CliUseCases {
  PullImage pullImage();

  PushImage pushImage();

  ManageLocalImages localImages();

  InspectDockerfile inspectDockerfile();

  ArchiveImages archiveImages();

  BuildImage buildImage();

  ManageManifestLists manifestLists();

  ResolveBuildSource resolveBuildSource();

  RunPipeline runPipeline();
}
