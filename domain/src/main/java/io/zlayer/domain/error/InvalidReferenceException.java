package io.zlayer.domain.error;

/** An image reference that does not follow Docker's reference grammar. */
public final class InvalidReferenceException extends ZlayerException {
  private final String reference;

  public InvalidReferenceException(String reference, String reason) {
    super("invalid reference \"" + reference + "\": " + reason);
    this.reference = reference;
  }

  public String reference() {
    return reference;
  }
}
