package io.zlayer.domain.build;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Docker's {@code signal.ParseSignal} (moby/sys/signal, Linux table), which BuildKit uses to
 * validate STOPSIGNAL: a non-zero decimal number, or a signal name with or without {@code SIG},
 * in any case.
 */
final class StopSignals {
  private static final Set<String> NAMES = names();

  private StopSignals() {}

  private static Set<String> names() {
    Set<String> names = new HashSet<>(Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE",
        "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV",
        "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2",
        "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX"));
    for (int i = 1; i <= 15; i++) {
      names.add("RTMIN+" + i);
    }
    for (int i = 1; i <= 14; i++) {
      names.add("RTMAX-" + i);
    }
    return Set.copyOf(names);
  }

  /** Whether Docker accepts the (expanded) STOPSIGNAL value. */
  static boolean isValid(String raw) {
    Long number = GoStrconv.atoi(raw);
    if (number != null) {
      return number != 0;
    }
    String upper = raw.toUpperCase(Locale.ROOT);
    if (upper.startsWith("SIG")) {
      upper = upper.substring(3);
    }
    return NAMES.contains(upper);
  }
}
