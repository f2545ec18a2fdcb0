package io.zlayer.domain.image;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A literal transcription of distribution/reference's {@code ParseNormalizedNamed} + {@code
 * TagNameOnly}, built from the very regular expressions of its {@code regexp.go} (Java's regex
 * dialect agrees with Go's for these patterns; {@code $} is written {@code \z} because Java's
 * {@code $} also matches before a final line break). Tests compare {@link ImageReference}'s
 * hand-written parser against it.
 */
final class DistributionReferenceOracle {
  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String DOMAIN_NAME_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String OPTIONAL_PORT = "(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";
  private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
  private static final String DOMAIN_NAME =
      DOMAIN_NAME_COMPONENT + "(?:\\." + DOMAIN_NAME_COMPONENT + ")*";
  private static final String HOST = "(?:" + DOMAIN_NAME + "|" + IPV6 + ")";
  private static final String DOMAIN_AND_PORT = HOST + OPTIONAL_PORT;
  private static final String PATH_COMPONENT =
      ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  private static final String REMOTE_NAME = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String NAME = "(?:" + DOMAIN_AND_PORT + "/)?" + REMOTE_NAME;

  private static final Pattern REFERENCE =
      Pattern.compile("^(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?\\z");
  private static final Pattern ANCHORED_NAME =
      Pattern.compile("^(?:(" + DOMAIN_AND_PORT + ")/)?(" + REMOTE_NAME + ")\\z");
  private static final Pattern IDENTIFIER = Pattern.compile("^[a-f0-9]{64}\\z");

  /** Docker's result: components on success, or the error (a Go error string). */
  record Result(String domain, String path, String tag, String digest, String error) {
    boolean ok() {
      return error == null;
    }
  }

  private DistributionReferenceOracle() {}

  static Result parseNormalizedTagged(String s) {
    if (IDENTIFIER.matcher(s).matches()) {
      return error("cannot specify 64-byte hexadecimal strings");
    }
    String domain;
    String remainder;
    int slash = s.indexOf('/');
    if (slash < 0) {
      domain = "docker.io";
      remainder = "library/" + s;
    } else {
      String maybeDomain = s.substring(0, slash);
      String maybeRemote = s.substring(slash + 1);
      if (maybeDomain.equals("localhost")) {
        domain = maybeDomain;
        remainder = maybeRemote;
      } else if (maybeDomain.equals("index.docker.io")) {
        domain = "docker.io";
        remainder = maybeRemote;
      } else if (maybeDomain.contains(".") || maybeDomain.contains(":")) {
        domain = maybeDomain;
        remainder = maybeRemote;
      } else if (!maybeDomain.toLowerCase(Locale.ROOT).equals(maybeDomain)) {
        domain = maybeDomain;
        remainder = maybeRemote;
      } else {
        domain = "docker.io";
        remainder = s;
      }
      if (domain.equals("docker.io") && !remainder.contains("/")) {
        remainder = "library/" + remainder;
      }
    }
    int colon = remainder.indexOf(':');
    String remote = colon >= 0 ? remainder.substring(0, colon) : remainder;
    if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
      return error("repository name must be lowercase");
    }
    Result parsed = parse(domain + "/" + remainder);
    if (!parsed.ok() || parsed.tag() != null || parsed.digest() != null) {
      return parsed;
    }
    return new Result(parsed.domain(), parsed.path(), "latest", null, null);
  }

  private static Result parse(String s) {
    if (s.isEmpty()) {
      return error("repository name must have at least one component");
    }
    Matcher m = REFERENCE.matcher(s);
    if (!m.matches()) {
      String lower = s.toLowerCase(Locale.ROOT);
      if (!lower.equals(s) && REFERENCE.matcher(lower).matches()) {
        return error("repository name must be lowercase");
      }
      return error("invalid reference format");
    }
    String name = m.group(1);
    String domain = "";
    String path = name;
    Matcher nm = ANCHORED_NAME.matcher(name);
    if (nm.matches()) {
      domain = nm.group(1) == null ? "" : nm.group(1);
      path = nm.group(2);
    }
    if (path.length() > 255) {
      return error("repository name must not be more than 255 characters");
    }
    String digest = m.group(3);
    if (digest != null) {
      String problem = goDigestProblem(digest);
      if (problem != null) {
        return error(problem);
      }
    }
    return new Result(domain, path, m.group(2), digest, null);
  }

  /** go-digest's Parse with sha256, sha384 and sha512 registered. */
  private static String goDigestProblem(String d) {
    int i = d.indexOf(':');
    String algorithm = d.substring(0, i);
    String encoded = d.substring(i + 1);
    int size;
    switch (algorithm) {
      case "sha256":
        size = 32;
        break;
      case "sha384":
        size = 48;
        break;
      case "sha512":
        size = 64;
        break;
      default:
        return "unsupported digest algorithm";
    }
    if (encoded.length() != size * 2) {
      return "invalid checksum digest length";
    }
    if (!encoded.matches("[a-f0-9]+")) {
      return "invalid checksum digest format";
    }
    return null;
  }

  private static Result error(String message) {
    return new Result(null, null, null, null, message);
  }
}
