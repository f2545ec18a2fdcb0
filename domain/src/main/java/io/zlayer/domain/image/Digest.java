package io.zlayer.domain.image;

import io.zlayer.domain.error.ImageFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content digest as the OCI image spec defines it: {@code algorithm:encoded}. Only the
 * registered algorithms sha256 and sha512 are accepted, with lower-case hex of the right length.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  public static final String SHA256 = "sha256";
  public static final String SHA512 = "sha512";

  public Digest {
    validate(algorithm, hex);
  }

  private static void validate(String algorithm, String hex) {
    int expected = switch (algorithm) {
      case SHA256 -> 64;
      case SHA512 -> 128;
      default -> throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
    };
    if (hex.length() != expected) {
      throw new IllegalArgumentException(
          algorithm + " digest must have " + expected + " hex characters, got " + hex.length());
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new IllegalArgumentException("digest has a non lower-case hex character: " + c);
      }
    }
  }

  /** Parses {@code sha256:…}; the message says why a string is not a digest. */
  public static Digest parse(String text) throws ImageFormatException {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new ImageFormatException("invalid digest \"" + abbreviate(text) + "\": missing algorithm");
    }
    try {
      return new Digest(text.substring(0, colon), text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new ImageFormatException("invalid digest \"" + abbreviate(text) + "\": " + e.getMessage());
    }
  }

  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (ImageFormatException e) {
      return false;
    }
  }

  public static Digest sha256(byte[] content) {
    return new Digest(SHA256, HexFormat.of().formatHex(newSha256().digest(content)));
  }

  public static Digest ofSha256(byte[] rawDigest) {
    return new Digest(SHA256, HexFormat.of().formatHex(rawDigest));
  }

  public static MessageDigest newSha256() {
    return newMessageDigest(SHA256);
  }

  /** A fresh hasher for this digest's algorithm. */
  public MessageDigest newHasher() {
    return newMessageDigest(algorithm);
  }

  private static MessageDigest newMessageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals(SHA512) ? "SHA-512" : "SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  /** The 12-character short form Docker prints as an image ID. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
