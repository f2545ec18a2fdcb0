package io.zlayer.domain.dockerfile.instructions;

import java.util.Objects;

/**
 * An inline file given to COPY or ADD as a heredoc ({@code COPY <<EOF /dest}).
 *
 * @param path the file name (the heredoc delimiter)
 * @param data the content, with leading tabs removed for {@code <<-}
 * @param expand whether the builder expands variables in {@code data} (unquoted delimiter)
 */
public record SourceContent(String path, String data, boolean expand) {

  public SourceContent {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(data, "data");
  }
}
