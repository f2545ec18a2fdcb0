package io.zlayer.bootstrap;

import io.zlayer.adapters.cli.ZlayerCli;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of the {@code zlayer} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, false, StandardCharsets.UTF_8);
    int code = new ZlayerCli(InterimUseCases.create(), out, err, System.getenv()).execute(args);
    System.exit(code);
  }
}
