package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.format.HumanUnits;
import io.zlayer.application.port.BuildCache.CachePruneReport;
import io.zlayer.application.port.ImageStore.PruneReport;
import io.zlayer.application.usecase.ManageLocalImages.PruneSummary;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code zlayer prune}. */
@Command(name = "prune", description = {"Delete blobs no image in the local store refers to.",
    "These are layers and configs of removed images and leftovers of interrupted pulls "
        + "and builds, and the build cache kept for them (unpacked layers, cached steps)."},
    footer = {"", "Examples:",
        "  zlayer prune",
        "  zlayer prune -f"})
final class PruneCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
  boolean force;

  @Mixin
  HelpOption help;

  PruneCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException {
    if (!force) {
      ctx.err().print("WARNING! This will delete every blob no image in the local store refers"
          + " to.\nAre you sure you want to continue? [y/N] ");
      ctx.err().flush();
      String answer = readLine(ctx.in()).trim().toLowerCase(Locale.ROOT);
      if (!answer.equals("y") && !answer.equals("yes")) {
        return 0;
      }
    }
    PruneSummary summary = ctx.useCases().localImages().prune();
    PruneReport report = summary.store();
    CachePruneReport cache = summary.buildCache();
    ctx.out().println("Deleted " + report.blobsRemoved()
        + (report.blobsRemoved() == 1 ? " blob" : " blobs"));
    if (cache.layersRemoved() + cache.stepsRemoved() + cache.scratchRemoved() > 0) {
      ctx.out().println("Deleted " + count(cache.layersRemoved(), "unpacked layer") + ", "
          + count(cache.stepsRemoved(), "build cache entry", "build cache entries") + ", "
          + count(cache.scratchRemoved(), "abandoned build directory",
              "abandoned build directories"));
    }
    if (cache.busy()) {
      ctx.err().println("warning: a build is running: its cache (unpacked layers, step cache) "
          + "was left as is; prune again when it is done");
    }
    ctx.out().println("Total reclaimed space: "
        + HumanUnits.preciseSize(report.bytesFreed() + cache.bytesFreed()));
    return 0;
  }

  /** One line of input, read byte by byte so nothing after it is consumed. */
  private static String readLine(InputStream in) throws UsageException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        line.write(b);
      }
    } catch (IOException e) {
      throw new UsageException("cannot read the answer from standard input: " + e.getMessage());
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static String count(int n, String one) {
    return count(n, one, one + "s");
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
