package io.zlayer.adapters.sandbox.run;

/** The network a RUN step sees ({@code RUN --network=...}). */
public enum NetworkMode {
  /** A fresh network namespace with only the loopback interface. */
  NONE,
  /** BuildKit's default; here it shares the host's network, like {@link #HOST}. */
  DEFAULT,
  /** The host's network namespace. */
  HOST;

  boolean sharesHostNetwork() {
    return this != NONE;
  }
}
