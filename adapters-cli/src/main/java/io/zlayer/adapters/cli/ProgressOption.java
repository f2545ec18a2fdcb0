package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.progress.ProgressMode;
import io.zlayer.domain.error.UsageException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --progress auto|tty|plain|rawjson|quiet}; the default comes from ZLAYER_PROGRESS. */
final class ProgressOption {
  static final String ENV = "ZLAYER_PROGRESS";

  @Option(names = "--progress", paramLabel = "TYPE", converter = ModeConverter.class,
      completionCandidates = ModeCandidates.class,
      description = "How to show progress on stderr: auto (tty on a terminal, plain "
          + "otherwise), tty, plain, rawjson (one JSON object per event) or quiet. "
          + "Default: $" + ENV + ", else auto.")
  ProgressMode mode;

  /** The mode given, else the one in {@code ZLAYER_PROGRESS}, else auto. */
  ProgressMode mode(Map<String, String> env) throws UsageException {
    if (mode != null) {
      return mode;
    }
    String fromEnv = env.get(ENV);
    if (fromEnv == null || fromEnv.isBlank()) {
      return ProgressMode.AUTO;
    }
    try {
      return parse(fromEnv.trim());
    } catch (IllegalArgumentException e) {
      throw new UsageException(ENV + "=" + fromEnv + " is not a progress type: " + e.getMessage());
    }
  }

  static ProgressMode parse(String value) {
    for (ProgressMode m : ProgressMode.values()) {
      if (m.flagValue().equals(value.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("expected one of " + String.join(", ",
        new ModeCandidates()));
  }

  static final class ModeConverter implements ITypeConverter<ProgressMode> {
    @Override
    public ProgressMode convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("\"" + value + "\" is not a progress type, "
            + e.getMessage());
      }
    }
  }

  static final class ModeCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(ProgressMode.values()).map(ProgressMode::flagValue).iterator();
    }
  }
}
