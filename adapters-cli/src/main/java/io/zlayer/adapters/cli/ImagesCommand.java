package io.zlayer.adapters.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zlayer.adapters.cli.format.HumanUnits;
import io.zlayer.adapters.cli.format.JsonText;
import io.zlayer.adapters.cli.format.TextTable;
import io.zlayer.application.usecase.ManageLocalImages.ImageSummary;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageReference;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code zlayer images}. */
@Command(name = "images", description = "List the images in the local store.",
    footer = {"", "With --format json, one JSON object per image and line: name (repository, or",
        "null), tag (or null), digest (manifest or index), id (config digest), created",
        "(RFC 3339, or null), size (bytes), index (true for a manifest list).",
        "", "Examples:",
        "  zlayer images",
        "  zlayer images alpine",
        "  zlayer images --digests --no-trunc",
        "  zlayer images --format json | jq -r .id",
        "  zlayer -q images"})
final class ImagesCommand implements Callable<Integer> {
  enum Format {
    TABLE,
    JSON
  }

  private final CliContext ctx;

  @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]",
      description = "Show only images of this repository (and tag).")
  String filter;

  @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class,
      completionCandidates = FormatCandidates.class,
      description = "table (default) or json (one object per line).")
  Format format = Format.TABLE;

  @Option(names = "--digests", description = "Show the manifest digests.")
  boolean digests;

  @Option(names = "--no-trunc", description = "Show full image IDs.")
  boolean noTrunc;

  @Mixin
  HelpOption help;

  ImagesCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException {
    List<ImageSummary> rows = select(ctx.useCases().localImages().list());
    PrintWriter out = ctx.out();
    if (ctx.quiet()) {
      Set<String> ids = new LinkedHashSet<>();
      rows.forEach(r -> ids.add(id(r)));
      ids.forEach(out::println);
    } else if (format == Format.JSON) {
      for (ImageSummary r : rows) {
        out.println(JsonText.compact(json(r)));
      }
    } else {
      table(rows, ctx.clock().instant()).print(out);
    }
    return 0;
  }

  private List<ImageSummary> select(List<ImageSummary> all) throws InvalidReferenceException {
    if (filter == null) {
      return all;
    }
    Optional<String> tag = Optional.empty();
    ImageReference repository;
    try {
      repository = ImageReference.parseRepository(filter);
    } catch (InvalidReferenceException e) {
      ImageReference ref = ImageReference.parse(filter);
      repository = ref.withoutTagOrDigest();
      tag = ref.tag();
    }
    List<ImageSummary> selected = new ArrayList<>();
    for (ImageSummary r : all) {
      if (r.name().isEmpty()) {
        continue;
      }
      ImageReference name = r.name().get();
      if (name.fullName().equals(repository.fullName())
          && (tag.isEmpty() || tag.equals(name.tag()))) {
        selected.add(r);
      }
    }
    return selected;
  }

  private String id(ImageSummary r) {
    return noTrunc ? r.imageId().toString() : r.imageId().shortHex();
  }

  private TextTable table(List<ImageSummary> rows, Instant now) {
    TextTable table = digests
        ? new TextTable("NAME", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
        : new TextTable("NAME", "TAG", "IMAGE ID", "CREATED", "SIZE");
    for (ImageSummary r : rows) {
      String name = r.name().map(ImageReference::familiarName).orElse("<none>");
      String tag = r.name().flatMap(ImageReference::tag).orElse("<none>");
      String created = r.created()
          .map(c -> HumanUnits.duration(Duration.between(c, now)) + " ago").orElse("N/A");
      String size = HumanUnits.size(r.size());
      if (digests) {
        table.row(name, tag, r.manifestDigest().toString(), id(r), created, size);
      } else {
        table.row(name, tag, id(r), created, size);
      }
    }
    return table;
  }

  private static ObjectNode json(ImageSummary r) {
    ObjectNode o = JsonText.mapper().createObjectNode();
    if (r.name().isPresent()) {
      o.put("name", r.name().get().fullName());
      o.put("tag", r.name().get().tag().orElse(null));
    } else {
      o.putNull("name");
      o.putNull("tag");
    }
    o.put("digest", r.manifestDigest().toString());
    o.put("id", r.imageId().toString());
    o.put("created", r.created().map(Instant::toString).orElse(null));
    o.put("size", r.size());
    o.put("index", r.isIndex());
    return o;
  }

  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.name().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new TypeConversionException("\"" + value + "\" is not a format, expected table or"
          + " json");
    }
  }

  static final class FormatCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Format.values()).map(f -> f.name().toLowerCase(Locale.ROOT))
          .iterator();
    }
  }
}
