package io.zlayer.domain.dockerfile.instructions;

/**
 * Where an instruction sits in its Dockerfile.
 *
 * @param startLine 1-based first line (0 when unknown)
 * @param endLine 1-based last line, heredoc bodies included (0 when unknown)
 */
public record SourceLocation(int startLine, int endLine) {

  public SourceLocation {
    if (startLine < 0 || endLine < 0) {
      throw new IllegalArgumentException("negative line in " + startLine + "-" + endLine);
    }
  }
}
