package io.zlayer.adapters.sandbox.copy;

/** How much a COPY/ADD wrote. */
public record CopyReport(long files, long bytes) {}
