package io.zlayer.bootstrap;

import dagger.BindsInstance;
import dagger.Component;
import io.zlayer.adapters.cli.CliUseCases;
import io.zlayer.application.Zlayer;
import jakarta.inject.Singleton;

/** The whole application, wired: what the CLI needs, built from the adapters. */
@Singleton
@Component(modules = {AdapterModule.class, UseCaseModule.class})
interface ZlayerComponent extends CliUseCases {
  /** The library facade over the same use cases the CLI drives. */
  Zlayer zlayer();

  @Component.Factory
  interface Factory {
    ZlayerComponent create(@BindsInstance Settings settings);
  }
}
