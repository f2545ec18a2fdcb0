package io.zlayer.application.usecase;

import io.zlayer.domain.error.ZlayerException;

/** {@code zlayer dockerfile ast|check}: the front end on its own, without building. */
public interface InspectDockerfile {
  /** BuildKit's {@code AST.Dump()} of a Dockerfile, one line per instruction. */
  String astDump(byte[] content, String sourceName) throws ZlayerException;
}
