package io.zlayer.domain.dockerfile.instructions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a HEALTHCHECK instruction sets: no check at all, or a command with its timings. */
public sealed interface HealthcheckConfig {

  /** The image config's {@code Healthcheck.Test} array. */
  List<String> test();

  /** {@code HEALTHCHECK NONE}: disables any check inherited from the base image. */
  record Disabled() implements HealthcheckConfig {
    @Override
    public List<String> test() {
      return List.of("NONE");
    }
  }

  /**
   * {@code HEALTHCHECK [options] CMD <command>}. A zero duration or retry count means "not set"
   * (the runtime default applies), exactly as in Docker's image config.
   *
   * @param command exec form ({@code CMD}) or shell form ({@code CMD-SHELL})
   * @param interval {@code --interval}
   * @param timeout {@code --timeout}
   * @param startPeriod {@code --start-period}
   * @param startInterval {@code --start-interval}
   * @param retries {@code --retries}, never negative
   */
  record Check(
      CommandLine command,
      Duration interval,
      Duration timeout,
      Duration startPeriod,
      Duration startInterval,
      int retries)
      implements HealthcheckConfig {

    public Check {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(startPeriod, "startPeriod");
      Objects.requireNonNull(startInterval, "startInterval");
      if (retries < 0) {
        throw new IllegalArgumentException("negative retries " + retries);
      }
    }

    /** {@code ["CMD", argv…]} for the exec form, {@code ["CMD-SHELL", script]} otherwise. */
    @Override
    public List<String> test() {
      List<String> out = new ArrayList<>();
      out.add(command.prependsShell() ? "CMD-SHELL" : "CMD");
      out.addAll(command.words());
      return List.copyOf(out);
    }
  }
}
