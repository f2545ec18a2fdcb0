package io.zlayer.adapters.sandbox.layer;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link UserNamespaceIT} inside {@code unshare --user --map-root-user}: unpacks a layer
 * blob into a directory and prints the warnings, then the diff_id.
 */
public final class UnpackProbe {
  private UnpackProbe() {}

  public static void main(String[] args) throws Exception {
    LayerUnpacker.Result result;
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      result = new LayerUnpacker().unpack(in, "layer probe", Path.of(args[1]),
          LayerStack.empty());
    }
    for (String w : result.warnings()) {
      System.out.println("WARNING " + w);
    }
    System.out.println("RESULT " + result.diffId());
  }
}
