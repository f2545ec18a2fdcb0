package io.zlayer.bootstrap;

import io.zlayer.adapters.cli.CliUseCases;
import io.zlayer.application.service.InspectDockerfileService;
import io.zlayer.application.usecase.InspectDockerfile;
import io.zlayer.application.usecase.ManageLocalImages;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.application.usecase.PushImage;

/** Wiring until the store and registry adapters land (replaced by the Dagger component). */
final class InterimUseCases {
  private InterimUseCases() {}

  static CliUseCases create() {
    InspectDockerfile inspect = new InspectDockerfileService();
    return new CliUseCases() {
      @Override
      public PullImage pullImage() {
        throw new IllegalStateException("the registry adapter is not wired yet");
      }

      @Override
      public PushImage pushImage() {
        throw new IllegalStateException("the registry adapter is not wired yet");
      }

      @Override
      public ManageLocalImages localImages() {
        throw new IllegalStateException("the store adapter is not wired yet");
      }

      @Override
      public InspectDockerfile inspectDockerfile() {
        return inspect;
      }
    };
  }
}
