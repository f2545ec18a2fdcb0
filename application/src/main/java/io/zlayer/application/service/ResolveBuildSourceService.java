package io.zlayer.application.service;

import io.zlayer.application.usecase.ResolveBuildSource;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.pipeline.PipelineImage;
import io.zlayer.domain.template.RuntimeTemplate;
import io.zlayer.domain.template.RuntimeTemplates;
import io.zlayer.domain.zimage.GeneratedDockerfile;
import io.zlayer.domain.zimage.ZImage;
import io.zlayer.domain.zimage.ZImageConverter;
import io.zlayer.domain.zimage.ZImageParser;
import java.util.Map;

/** Build sources in zlayer's order of precedence; ZImagefiles converted in the domain. */
public final class ResolveBuildSourceService implements ResolveBuildSource {
  @Override
  public Choice choose(Candidates c) throws ZlayerException {
    if (c.runtime().isPresent()) {
      String name = c.runtime().get();
      RuntimeTemplate template = RuntimeTemplates.find(name).orElseThrow(() ->
          new UsageException("unknown runtime \"" + name + "\"", "use one of: auto, "
              + String.join(", ", RuntimeTemplates.names())
              + " (zlayer templates list describes them)"));
      return new Choice.Template(template);
    }
    if (c.zimagefile().isPresent()) {
      return new Choice.ZImagefileAt(c.zimagefile().get());
    }
    if (c.file().isPresent()) {
      String name = c.file().get().toString();
      return !name.equals("-") && PipelineImage.isZImagefileName(name)
          ? new Choice.ZImagefileAt(c.file().get()) : new Choice.DockerfileAt(c.file().get());
    }
    if (c.contextHasZImagefile()) {
      return new Choice.ZImagefileAt(c.contextDir().resolve("ZImagefile"));
    }
    if (c.contextHasDockerfile()) {
      return new Choice.DockerfileAt(c.contextDir().resolve("Dockerfile"));
    }
    throw new UsageException("no Dockerfile or ZImagefile in " + c.contextDir(),
        "name one with -f FILE, or use a runtime template: --runtime auto detects one");
  }

  @Override
  public ResolvedSource resolve(Source source) throws ZlayerException {
    if (source instanceof Source.Template t) {
      RuntimeTemplate template = RuntimeTemplates.find(t.name()).orElseThrow(() ->
          new UsageException("unknown runtime \"" + t.name() + "\""));
      return new ResolvedSource(template.dockerfile(), template.fileName(),
          "runtime template " + template.name());
    }
    if (source instanceof Source.ZImagefile z) {
      ZImage image = ZImageParser.parse(z.tree(), z.source());
      GeneratedDockerfile generated = ZImageConverter.convert(image, z.source(),
          new ZImageConverter.Options(z.defaultCacheMounts(), Map.of()));
      return new ResolvedSource(generated.text(), generated.fileName(),
          "ZImagefile " + z.source().name());
    }
    Source.Dockerfile d = (Source.Dockerfile) source;
    return new ResolvedSource(d.text(), d.fileName(), "Dockerfile " + d.fileName());
  }
}
