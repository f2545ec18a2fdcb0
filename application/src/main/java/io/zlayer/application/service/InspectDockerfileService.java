package io.zlayer.application.service;

import io.zlayer.application.usecase.InspectDockerfile;
import io.zlayer.domain.dockerfile.parser.AstDump;
import io.zlayer.domain.dockerfile.parser.DockerfileParser;
import io.zlayer.domain.error.ZlayerException;

/** The Dockerfile front end as a use case. */
public final class InspectDockerfileService implements InspectDockerfile {
  @Override
  public String astDump(byte[] content, String sourceName) throws ZlayerException {
    return AstDump.dump(DockerfileParser.parse(content, sourceName).root());
  }
}
