package io.zlayer.bootstrap;

import io.zlayer.adapters.cli.CliEnvironment;
import io.zlayer.adapters.cli.ZlayerCli;

/** Entry point of the {@code zlayer} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ZlayerCli cli = new ZlayerCli(
        DaggerZlayerComponent.factory().create(Settings.fromProcess(args)),
        CliEnvironment.system());
    Runtime.getRuntime().addShutdownHook(cli.shutdownHook());
    System.exit(cli.execute(args));
  }
}
