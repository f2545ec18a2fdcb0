package io.zlayer.adapters.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte ranges in upload and download headers. */
final class UploadRanges {
  private UploadRanges() {}

  private static final Pattern RANGE = Pattern.compile("^\\s*(?:bytes[ =])?\\s*(\\d+)-(\\d+)\\s*$");
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("^\\s*bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)\\s*$");

  /** The last byte an upload's {@code Range: 0-<end>} covers. */
  static Optional<Long> uploadEnd(Optional<String> header) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = RANGE.matcher(header.get());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(m.group(2)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The first byte of a 206 response's {@code Content-Range: bytes <start>-<end>/<total>}. */
  static Optional<Long> contentRangeStart(Optional<String> header) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = CONTENT_RANGE.matcher(header.get());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
