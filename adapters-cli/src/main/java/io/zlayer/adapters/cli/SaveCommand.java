package io.zlayer.adapters.cli;

import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.domain.error.ZlayerException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zlayer save}. */
@Command(name = "save", description = "Write local images to a tar archive.",
    footer = {"", "The OCI format is an OCI image layout in a tar (skopeo's oci-archive:);",
        "the docker format is what 'docker load' reads.",
        "", "Examples:",
        "  zlayer save -o app.tar app:1.0",
        "  zlayer save --format docker -o app-docker.tar app:1.0 app:debug"})
final class SaveCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names or IDs of images.")
  List<String> images;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
      description = "The archive to write (replaced atomically).")
  Path output;

  @Option(names = "--format", defaultValue = "oci", paramLabel = "oci|docker",
      description = "Archive format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ArchiveFormat format;

  @Mixin
  HelpOption help;

  SaveCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException {
    ctx.useCases().archiveImages().save(images, output, format);
    return 0;
  }
}
