package io.zlayer.adapters.sandbox.run;

/** {@code RUN --security=...}. */
public enum SecurityMode {
  /**
   * Docker's default: root in the step holds Docker's default capability set only, and the
   * kernel files Docker masks ({@code /proc/keys}, {@code /sys/firmware}, ...) are hidden.
   */
  SANDBOX,
  /** {@code --security=insecure}: every capability, nothing masked. */
  INSECURE
}
