package io.zlayer.domain.error;

/**
 * Every error zlayer reports to a user is one of these: a checked exception whose message is a
 * single clear line (what went wrong and where). Anything else escaping to the CLI is a bug.
 */
public abstract sealed class ZlayerException extends Exception
    permits DockerfileException, InvalidReferenceException, ImageFormatException,
        RegistryException, StoreException, BuildException, UsageException {

  protected ZlayerException(String message) {
    super(message);
  }

  protected ZlayerException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An optional second line telling the user what to do about it. */
  public java.util.Optional<String> hint() {
    return java.util.Optional.empty();
  }
}
