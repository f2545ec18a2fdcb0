package io.zlayer.adapters.buildah;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.zlayer.adapters.buildah.ProcessRunner.Invocation;
import io.zlayer.adapters.buildah.ProcessRunner.OutputSink;
import io.zlayer.adapters.buildah.ProcessRunner.Result;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A Mockito mock of {@link ProcessRunner} that answers like buildah: a small model of images
 * (their diff IDs) and containers, one new layer per commit, pushes written as OCI layouts.
 * Every command line is recorded; a command can be made to fail or to be interrupted.
 */
final class FakeBuildah {
  final ProcessRunner runner = mock(ProcessRunner.class);
  final List<List<String>> commands = new ArrayList<>();
  final Path mountRoot;
  private final Map<String, List<Digest>> images = new HashMap<>();
  private final Map<String, List<Digest>> containers = new HashMap<>();
  private final Map<String, Function<List<String>, Result>> overrides = new HashMap<>();
  private final Map<String, String> interrupts = new HashMap<>();
  private int counter;
  String versionText = "buildah version 1.28.2 (image-spec 1.1.0-rc2, runtime-spec 1.0.2-dev)\n";
  String versionJson = "{\n  \"version\": \"1.28.2\",\n  \"goVersion\": \"go1.19.8\"\n}\n";

  FakeBuildah(Path mountRoot) throws Exception {
    this.mountRoot = mountRoot;
    when(runner.run(any(), any())).thenAnswer(inv -> answer(inv.getArgument(0),
        inv.getArgument(1)));
  }

  /** Makes the subcommand fail with this exit code and stderr. */
  void fail(String subcommand, int exit, String... stderr) {
    overrides.put(subcommand, argv -> new Result(exit, "", List.of(stderr)));
  }

  /** Makes the subcommand throw {@link InterruptedException}, once. */
  void interrupt(String subcommand) {
    interrupts.put(subcommand, subcommand);
  }

  /** The recorded command lines of one subcommand, without the program. */
  List<List<String>> calls(String subcommand) {
    return commands.stream().filter(c -> c.get(0).equals(subcommand)).toList();
  }

  private synchronized Result answer(Invocation invocation, OutputSink sink) throws Exception {
    List<String> args = invocation.argv().subList(1, invocation.argv().size());
    commands.add(List.copyOf(args));
    String sub = args.get(0);
    if (interrupts.remove(sub) != null) {
      throw new InterruptedException("test interrupt");
    }
    if (overrides.containsKey(sub)) {
      return overrides.get(sub).apply(args);
    }
    switch (sub) {
      case "--version":
        return ok(versionText);
      case "version":
        return ok(versionJson);
      case "pull": {
        OciLayouts.PushedImage image = OciLayouts.read(Path.of(last(args).substring(4)));
        String id = image.manifest().config().digest().hex();
        images.put(id, image.config().diffIds());
        return ok(id + "\n");
      }
      case "from": {
        String name = args.get(args.indexOf("--name") + 1);
        String image = last(args);
        containers.put(name, image.equals("scratch") ? List.of() : images.get(image));
        return ok(name + "\n");
      }
      case "run":
        sink.line("output of " + args.get(args.indexOf("--") + 1), false);
        return ok("");
      case "commit": {
        String id = "img" + (++counter);
        List<Digest> diffs = new ArrayList<>(containers.get(last(args)));
        diffs.add(Digest.sha256(("layer-" + id).getBytes(StandardCharsets.UTF_8)));
        images.put(id, diffs);
        return ok(id + "\n");
      }
      case "mount": {
        Path dir = mountRoot.resolve(last(args));
        Files.createDirectories(dir);
        return ok(dir + "\n");
      }
      case "push":
        writeLayout(Path.of(last(args).substring(4)), images.get(args.get(args.size() - 2)));
        return ok("");
      default:
        return ok("");
    }
  }

  private static Result ok(String stdout) {
    return new Result(0, stdout, List.of());
  }

  private static String last(List<String> args) {
    return args.get(args.size() - 1);
  }

  private static void writeLayout(Path dir, List<Digest> diffIds) throws IOException {
    List<Descriptor> layers = new ArrayList<>();
    for (Digest diff : diffIds) {
      byte[] blob = ("blob of " + diff).getBytes(StandardCharsets.UTF_8);
      Digest d = Digest.sha256(blob);
      write(dir, d, blob);
      layers.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d, blob.length));
    }
    ImageConfig config = ImageConfig.scratch(Platform.of("linux", "amd64"));
    config = new ImageConfig(Optional.empty(), Optional.empty(), "amd64", "linux",
        Optional.empty(), Optional.empty(), config.config(), diffIds, List.of());
    byte[] configBytes = ImageJson.write(config);
    Digest cd = Digest.sha256(configBytes);
    write(dir, cd, configBytes);
    byte[] manifest = ImageJson.write(new ImageManifest(MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, cd, configBytes.length), layers));
    Digest md = Digest.sha256(manifest);
    write(dir, md, manifest);
    Files.write(dir.resolve("index.json"), ImageJson.write(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, md, manifest.length)), Map.of())));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  private static void write(Path dir, Digest d, byte[] content) throws IOException {
    Path p = OciLayouts.blobFile(dir, d);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
  }
}
