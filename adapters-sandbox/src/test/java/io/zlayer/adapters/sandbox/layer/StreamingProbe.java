package io.zlayer.adapters.sandbox.layer;

import io.zlayer.domain.image.LayerCompression;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a JVM with a small heap by {@link LayerStreamingIT}: writes a layer directory as a
 * compressed blob file, unpacks that blob into another directory, and prints the diff_ids and
 * blob digests both sides computed.
 */
public final class StreamingProbe {
  private StreamingProbe() {}

  public static void main(String[] args) throws Exception {
    Path layer = Path.of(args[0]);
    Path blobFile = Path.of(args[2]);
    Path unpacked = Path.of(args[3]);
    LayerBlob blob;
    try (OutputStream out = Files.newOutputStream(blobFile)) {
      blob = new LayerTarWriter().write(layer, out,
          LayerTarOptions.of(LayerCompression.valueOf(args[1])));
    }
    LayerUnpacker.Result result;
    try (InputStream in = Files.newInputStream(blobFile)) {
      result = new LayerUnpacker().unpack(in, "layer " + blob.digest(), unpacked,
          LayerStack.empty());
    }
    System.out.println("RESULT " + blob.diffId() + " " + blob.digest() + " " + blob.size() + " "
        + result.diffId() + " " + result.blobDigest());
  }
}
