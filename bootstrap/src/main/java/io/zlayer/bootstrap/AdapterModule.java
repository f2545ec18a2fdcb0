package io.zlayer.bootstrap;

import dagger.Module;
import io.zlayer.adapters.buildah.BuildahBuildEngine;
import io.zlayer.adapters.buildah.BuildahSettings;
import io.zlayer.adapters.buildah.OsProcessRunner;
import io.zlayer.adapters.sandbox.copy.DockerFileCopier;
import io.zlayer.adapters.sandbox.copy.FileCopier;
import io.zlayer.adapters.sandbox.engine.SandboxBuildCache;
import io.zlayer.adapters.sandbox.engine.SandboxBuildEngine;
import io.zlayer.adapters.sandbox.engine.SandboxEngineSettings;
import dagger.Provides;
import io.zlayer.adapters.registry.HttpRegistry;
import io.zlayer.adapters.registry.RegistryClientSettings;
import io.zlayer.adapters.registry.credentials.StoredCredentialSource;
import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.adapters.sandbox.store.TarImageArchive;
import io.zlayer.application.port.CredentialSource;
import io.zlayer.application.port.BuildCache;
import io.zlayer.application.service.BuildEngines;
import io.zlayer.application.port.ImageArchive;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.port.Registry;
import jakarta.inject.Singleton;
import java.util.List;

/** Binds each port to the adapter that serves it. */
@Module
interface AdapterModule {
  @Provides
  @Singleton
  static ImageStore imageStore(Settings settings) {
    return OciLayoutStore.fromEnvironment(settings.env(), settings.userHome().toString());
  }

  @Provides
  @Singleton
  static ImageArchive imageArchive(ImageStore store) {
    return new TarImageArchive(store);
  }

  @Provides
  @Singleton
  static CredentialSource credentialSource(Settings settings) {
    return new StoredCredentialSource(settings.env(), settings.userHome());
  }

  @Provides
  @Singleton
  static Registry registry(CredentialSource credentials, Settings settings) {
    RegistryClientSettings client = RegistryClientSettings.DEFAULT;
    if (settings.debug()) {
      client = client.withTrace(line -> System.err.println("[http] " + line));
    }
    return new RegistriesConfDefaults(new HttpRegistry(credentials, client), settings);
  }

  /** The sandbox engine's unpacked layers and step cache, for {@code zlayer prune}. */
  @Provides
  @Singleton
  static BuildCache sandboxBuildCache(Settings settings) {
    return new SandboxBuildCache(SandboxEngineSettings.fromEnvironment(settings.env(),
        settings.userHome().toString()));
  }

  @Provides
  @Singleton
  static BuildEngines buildEngines(ImageStore store, Settings settings) {
    String home = settings.userHome().toString();
    SandboxEngineSettings sandbox = SandboxEngineSettings.fromEnvironment(settings.env(), home);
    FileCopier copier = new DockerFileCopier(sandbox.root().resolve("copy"));
    BuildahSettings buildah = BuildahSettings.fromEnvironment(settings.env(), home,
        System.getProperty("user.name", ""));
    return new BuildEngines(List.of(
        new SandboxBuildEngine(sandbox, store, copier),
        new BuildahBuildEngine(store, buildah, new OsProcessRunner())));
  }
}
