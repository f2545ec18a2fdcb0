package io.zlayer.adapters.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zlayer.adapters.cli.format.JsonText;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.usecase.ManageLocalImages;
import io.zlayer.application.usecase.ManageLocalImages.ImageSummary;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.image.RawManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zlayer inspect}. */
@Command(name = "inspect", description = "Show local images' manifests and configs as JSON.",
    footer = {"", "Each element of the array has:",
        "  names           the local names of the image",
        "  manifestDigest  the digest of its manifest",
        "  mediaType       the manifest's media type",
        "  configDigest    the digest of its config (the image ID)",
        "  platform        os/arch[/variant]",
        "  created         RFC 3339, or null",
        "  size            bytes of config and layers",
        "  index           {digest, mediaType} of the manifest list it was picked from,",
        "                  or null",
        "  manifest        the OCI manifest",
        "  config          the OCI image config",
        "", "Examples:",
        "  zlayer inspect alpine",
        "  zlayer inspect --platform linux/arm64 ghcr.io/acme/app:1.2",
        "  zlayer inspect app | jq -r '.[0].config.config.Env[]'"})
final class InspectCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Parameters(arity = "1..*", paramLabel = "REF",
      description = "An image: a name, an image ID or a manifest digest (or a prefix of one).")
  List<String> references;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "The platform to show from a multi-platform image (default: this host's).")
  String platform;

  @Mixin
  HelpOption help;

  InspectCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException {
    Platform wanted = platform == null ? Platform.host() : Platform.parse(platform).normalized();
    ManageLocalImages images = ctx.useCases().localImages();
    ArrayNode documents = JsonText.mapper().createArrayNode();
    ZlayerException firstFailure = null;
    int failures = 0;
    List<ImageSummary> summaries = null;
    for (String reference : references) {
      LocalImage image;
      try {
        image = images.inspect(reference, wanted);
      } catch (ZlayerException e) {
        if (references.size() == 1) {
          throw e;
        }
        ctx.err().println("error: " + e.getMessage());
        firstFailure = firstFailure == null ? e : firstFailure;
        failures++;
        continue;
      }
      if (summaries == null) {
        summaries = images.list();
      }
      documents.add(document(image, summaries));
    }
    PrintWriter out = ctx.out();
    out.println(JsonText.pretty(documents));
    return failures == 0 ? 0 : 1;
  }

  static ObjectNode document(LocalImage image, List<ImageSummary> summaries)
      throws ImageFormatException {
    ObjectNode o = JsonText.mapper().createObjectNode();
    Digest root = image.index().map(RawManifest::digest)
        .orElse(image.manifestDescriptor().digest());
    ArrayNode names = o.putArray("names");
    for (ImageSummary s : summaries) {
      if (s.manifestDigest().equals(root) && s.name().isPresent()) {
        names.add(s.name().get().toString());
      }
    }
    o.put("manifestDigest", image.manifestDescriptor().digest().toString());
    o.put("mediaType", image.manifest().mediaType());
    o.put("configDigest", image.manifest().config().digest().toString());
    o.put("platform", image.config().platform().toString());
    o.put("created", image.config().created().map(Instant::toString).orElse(null));
    o.put("size", image.manifest().contentSize());
    if (image.index().isPresent()) {
      ObjectNode index = o.putObject("index");
      index.put("digest", image.index().get().digest().toString());
      index.put("mediaType", image.index().get().mediaType());
    } else {
      o.putNull("index");
    }
    o.set("manifest", tree(image.rawManifest().bytes(), "manifest"));
    o.set("config", tree(ImageJson.write(image.config()), "config"));
    return o;
  }

  private static JsonNode tree(byte[] json, String what) throws ImageFormatException {
    try {
      return JsonText.mapper().readTree(json);
    } catch (IOException e) {
      throw new ImageFormatException("the stored " + what + " is not valid JSON: "
          + e.getMessage());
    }
  }
}
