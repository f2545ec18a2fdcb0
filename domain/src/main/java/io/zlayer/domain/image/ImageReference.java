package io.zlayer.domain.image;

import io.zlayer.domain.error.InvalidReferenceException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A normalized image reference, following Docker's {@code distribution/reference} grammar:
 *
 * <pre>
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain '/'] remote-name
 *   domain           := host [':' port-number]
 *   host             := domain-name | IPv4address | \[ IPv6address \]
 *   domain-name      := domain-component ['.' domain-component]*
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   path-component   := alpha-numeric [separator alpha-numeric]*
 *   remote-name      := path-component ['/' path-component]*
 *   alpha-numeric    := /[a-z0-9]+/
 *   separator        := /[_.]|__|[-]+/
 *   tag              := /[\w][\w.-]{0,127}/
 *   digest           := algorithm ":" hex   (sha256: 64, sha384: 96, sha512: 128 lowercase hex)
 * </pre>
 *
 * <p>{@link #parse} behaves like {@code reference.ParseNormalizedNamed} followed by {@code
 * TagNameOnly}: {@code alpine} becomes {@code docker.io/library/alpine:latest}, {@code
 * index.docker.io} becomes {@code docker.io}, and a reference that has a digest but no tag gets no
 * default tag. The parser is hand-written (linear, no regular expressions) but accepts exactly
 * the language of Docker's regular expressions. Deliberate differences: a first component Docker
 * treats as a domain but which is not a valid host ({@code foo_bar.com/app}) is rejected here,
 * where Docker would silently produce a reference with an empty registry; and {@link
 * #familiarName()} keeps {@code docker.io/} where dropping it would change the meaning.
 *
 * @param registry the registry host, with port when given ({@code docker.io}, {@code
 *     localhost:5000}, {@code [::1]:5000})
 * @param repository the path inside the registry ({@code library/alpine})
 * @param tag the tag, when the reference has one
 * @param digest the digest ({@code sha256:<64 hex>}), when the reference has one
 */
public record ImageReference(
    String registry, String repository, Optional<String> tag, Optional<String> digest) {

  /** The registry name Docker uses for Docker Hub in normalized references. */
  public static final String DOCKER_HUB = "docker.io";

  /** The host that actually serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

  /** The tag added to references that have neither a tag nor a digest. */
  public static final String DEFAULT_TAG = "latest";

  /** Docker's limit on the repository path ({@code RepositoryNameTotalLengthMax}). */
  public static final int MAX_REPOSITORY_LENGTH = 255;

  private static final String LEGACY_DOCKER_HUB = "index.docker.io";
  private static final String OFFICIAL_PREFIX = "library/";
  private static final String SCRATCH = "scratch";

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
    if (!isDomain(registry)) {
      throw new IllegalArgumentException("not a registry host: " + registry);
    }
    if (!isRemoteName(repository) || repository.length() > MAX_REPOSITORY_LENGTH) {
      throw new IllegalArgumentException("not a repository name: " + repository);
    }
    if (tag.isPresent() && !isTag(tag.get())) {
      throw new IllegalArgumentException("not a tag: " + tag.get());
    }
    if (digest.isPresent() && digestProblem(digest.get()) != null) {
      throw new IllegalArgumentException("not a digest: " + digest.get());
    }
  }

  /**
   * Parses a reference the way {@code docker pull}, {@code FROM} and {@code docker tag} do:
   * familiar names are expanded ({@code alpine} is {@code docker.io/library/alpine}) and a
   * reference without tag or digest gets the tag {@code latest}.
   */
  public static ImageReference parse(String reference) throws InvalidReferenceException {
    Parsed p = parseNormalized(reference);
    Optional<String> tag = Optional.ofNullable(p.tag);
    if (p.tag == null && p.digest == null) {
      tag = Optional.of(DEFAULT_TAG);
    }
    return new ImageReference(p.domain, p.path, tag, Optional.ofNullable(p.digest));
  }

  /**
   * Parses a repository name without tag or digest ({@code zlayer push DEST}, manifest lists),
   * normalized like {@link #parse}; the result has neither tag nor digest.
   */
  public static ImageReference parseRepository(String name) throws InvalidReferenceException {
    Parsed p = parseNormalized(name);
    if (p.tag != null || p.digest != null) {
      throw invalid(name, "expected a repository name without tag or digest");
    }
    return new ImageReference(p.domain, p.path, Optional.empty(), Optional.empty());
  }

  /**
   * Whether a {@code FROM} base name means the empty image. BuildKit compares the expanded base
   * name with {@code scratch} exactly (case-sensitive, no registry or tag).
   */
  public static boolean isScratch(String baseName) {
    return SCRATCH.equals(baseName);
  }

  /** {@code registry/repository}, e.g. {@code docker.io/library/alpine}. */
  public String fullName() {
    return registry + "/" + repository;
  }

  /**
   * The name as Docker prints it: {@code alpine}, {@code user/app}, {@code ghcr.io/o/app}. Unlike
   * Docker's {@code FamiliarName}, {@code docker.io/} is kept when dropping it would change the
   * meaning ({@code docker.io/example.com/app} is not {@code example.com/app}), so the familiar
   * form always parses back to this reference.
   */
  public String familiarName() {
    if (!registry.equals(DOCKER_HUB)) {
      return fullName();
    }
    if (repository.startsWith(OFFICIAL_PREFIX)) {
      String rest = repository.substring(OFFICIAL_PREFIX.length());
      if (rest.indexOf('/') < 0) {
        return rest;
      }
    }
    int slash = repository.indexOf('/');
    if (slash >= 0) {
      String first = repository.substring(0, slash);
      if (first.indexOf('.') >= 0 || first.equals("localhost")) {
        return fullName();
      }
    }
    return repository;
  }

  /** The reference as Docker prints it: {@code alpine:latest}, {@code user/app:1}. */
  public String familiarString() {
    return withSuffixes(familiarName());
  }

  /** True when the reference is a bare repository name (from {@link #parseRepository}). */
  public boolean isNameOnly() {
    return tag.isEmpty() && digest.isEmpty();
  }

  /** The same reference with this tag (any digest is kept, as in Docker's {@code WithTag}). */
  public ImageReference withTag(String newTag) throws InvalidReferenceException {
    if (!isTag(newTag)) {
      throw invalid(fullName() + ":" + newTag, tagProblem(newTag));
    }
    return new ImageReference(registry, repository, Optional.of(newTag), digest);
  }

  /** The same reference with this digest (any tag is kept, as in Docker's {@code WithDigest}). */
  public ImageReference withDigest(String newDigest) throws InvalidReferenceException {
    String problem = digestProblem(newDigest);
    if (problem != null) {
      throw invalid(fullName() + "@" + newDigest, problem);
    }
    return new ImageReference(registry, repository, tag, Optional.of(newDigest));
  }

  /** The repository name alone, without tag or digest. */
  public ImageReference withoutTagOrDigest() {
    return new ImageReference(registry, repository, Optional.empty(), Optional.empty());
  }

  /**
   * The same repository path on another registry (a mirror, a local registry). {@code
   * index.docker.io} is normalized to {@code docker.io}; moving a single-component path to Docker
   * Hub adds {@code library/}, as normalization would.
   */
  public ImageReference withRegistry(String newRegistry) throws InvalidReferenceException {
    if (!isDomain(newRegistry)) {
      throw invalid(
          newRegistry + "/" + repository, "\"" + newRegistry + "\" is not a valid registry host");
    }
    String domain = newRegistry.equals(LEGACY_DOCKER_HUB) ? DOCKER_HUB : newRegistry;
    String path = repository;
    if (domain.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
      path = OFFICIAL_PREFIX + path;
    }
    if (path.length() > MAX_REPOSITORY_LENGTH) {
      throw invalid(domain + "/" + path, nameTooLong());
    }
    return new ImageReference(domain, path, tag, digest);
  }

  /** The host (with port) to send registry API requests to: Docker Hub's API host for docker.io. */
  public String registryApiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
  }

  /** True for references on Docker Hub. */
  public boolean isDockerHub() {
    return registry.equals(DOCKER_HUB);
  }

  /**
   * True when the registry is on the loopback interface: {@code localhost}, an address in
   * 127.0.0.0/8 or {@code ::1}, with or without a port. Docker treats these as insecure
   * registries by default.
   */
  public boolean isLoopbackRegistry() {
    String host = hostWithoutPort(registry);
    if (host.startsWith("[")) {
      return isIpv6Loopback(host.substring(1, host.length() - 1));
    }
    return host.equalsIgnoreCase("localhost") || isIpv4Loopback(host);
  }

  /** The canonical form: {@code docker.io/library/alpine:latest} or {@code ...@sha256:...}. */
  @Override
  public String toString() {
    return withSuffixes(fullName());
  }

  private String withSuffixes(String name) {
    StringBuilder sb = new StringBuilder(name);
    tag.ifPresent(t -> sb.append(':').append(t));
    digest.ifPresent(d -> sb.append('@').append(d));
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing (ParseNormalizedNamed, then Parse on "domain/remainder")

  private record Parsed(String domain, String path, String tag, String digest) {}

  private static Parsed parseNormalized(String s) throws InvalidReferenceException {
    Objects.requireNonNull(s, "reference");
    if (s.isEmpty()) {
      throw invalid(s, "invalid reference format: empty reference");
    }
    if (isImageId(s)) {
      throw invalid(
          s, "cannot specify 64-byte hexadecimal strings (an image ID) as a repository name");
    }
    String[] split = splitDockerDomain(s);
    String remainder = split[1];
    int colon = remainder.indexOf(':');
    String remote = colon >= 0 ? remainder.substring(0, colon) : remainder;
    if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
      throw invalid(s, "repository name must be lowercase");
    }
    return parseCanonical(s, split[0] + "/" + remainder);
  }

  /** Docker's {@code splitDockerDomain}: decides which part of a familiar name is the domain. */
  private static String[] splitDockerDomain(String name) {
    int slash = name.indexOf('/');
    if (slash < 0) {
      return new String[] {DOCKER_HUB, OFFICIAL_PREFIX + name};
    }
    String maybeDomain = name.substring(0, slash);
    String maybeRemote = name.substring(slash + 1);
    String domain;
    String remote;
    if (maybeDomain.equals("localhost")) {
      domain = maybeDomain;
      remote = maybeRemote;
    } else if (maybeDomain.equals(LEGACY_DOCKER_HUB)) {
      domain = DOCKER_HUB;
      remote = maybeRemote;
    } else if (maybeDomain.indexOf('.') >= 0 || maybeDomain.indexOf(':') >= 0) {
      domain = maybeDomain;
      remote = maybeRemote;
    } else if (!maybeDomain.toLowerCase(Locale.ROOT).equals(maybeDomain)) {
      // uppercase is not allowed in paths, so an uppercase first component must be a domain
      domain = maybeDomain;
      remote = maybeRemote;
    } else {
      domain = DOCKER_HUB;
      remote = name;
    }
    if (domain.equals(DOCKER_HUB) && remote.indexOf('/') < 0) {
      remote = OFFICIAL_PREFIX + remote;
    }
    return new String[] {domain, remote};
  }

  /**
   * Docker's {@code Parse} applied to the domain-qualified string {@code full}; errors name the
   * user's original input {@code original}.
   */
  private static Parsed parseCanonical(String original, String full)
      throws InvalidReferenceException {
    String problem = grammarProblem(full);
    if (problem != null) {
      String lower = full.toLowerCase(Locale.ROOT);
      if (!lower.equals(full) && grammarProblem(lower) == null) {
        throw invalid(original, "repository name must be lowercase");
      }
      throw invalid(original, "invalid reference format: " + problem);
    }
    int at = full.indexOf('@');
    String nameAndTag = at >= 0 ? full.substring(0, at) : full;
    String digest = at >= 0 ? full.substring(at + 1) : null;
    int colon = nameAndTag.lastIndexOf(':');
    String name = nameAndTag;
    String tag = null;
    if (colon > nameAndTag.lastIndexOf('/')) {
      name = nameAndTag.substring(0, colon);
      tag = nameAndTag.substring(colon + 1);
    }
    String domain = "";
    String path = name;
    int slash = name.indexOf('/');
    if (slash >= 0) {
      String first = name.substring(0, slash);
      String rest = name.substring(slash + 1);
      if (isDomain(first) && isRemoteName(rest)) {
        domain = first;
        path = rest;
      }
    }
    if (path.length() > MAX_REPOSITORY_LENGTH) {
      throw invalid(original, nameTooLong());
    }
    if (digest != null) {
      String digestProblem = digestProblem(digest);
      if (digestProblem != null) {
        throw invalid(original, digestProblem);
      }
    }
    if (domain.isEmpty()) {
      // Docker would accept this with an empty domain and fail later when contacting it.
      String host = slash >= 0 ? name.substring(0, slash) : name;
      throw invalid(
          original, "\"" + host + "\" is not a valid registry host");
    }
    return new Parsed(domain, path, tag, digest);
  }

  /** Why {@code s} does not match Docker's {@code ReferenceRegexp}, or null when it does. */
  private static String grammarProblem(String s) {
    String nameAndTag = s;
    int at = s.indexOf('@');
    if (at >= 0) {
      String digest = s.substring(at + 1);
      if (digest.indexOf('@') >= 0) {
        return "more than one '@'";
      }
      if (!isDigestSyntax(digest)) {
        return "digest \"" + digest + "\" must be <algorithm>:<at least 32 hex digits>";
      }
      nameAndTag = s.substring(0, at);
    }
    String name = nameAndTag;
    int colon = nameAndTag.lastIndexOf(':');
    if (colon > nameAndTag.lastIndexOf('/')) {
      String tag = nameAndTag.substring(colon + 1);
      if (!isTag(tag)) {
        return tagProblem(tag);
      }
      name = nameAndTag.substring(0, colon);
    }
    if (name.isEmpty()) {
      return "empty repository name";
    }
    if (isRemoteName(name)) {
      return null;
    }
    int slash = name.indexOf('/');
    if (slash >= 0 && isDomain(name.substring(0, slash))
        && isRemoteName(name.substring(slash + 1))) {
      return null;
    }
    return nameProblem(name, slash);
  }

  private static String nameProblem(String name, int slash) {
    String first = slash >= 0 ? name.substring(0, slash) : name;
    int start = 0;
    if (slash >= 0 && isDomain(first)) {
      start = slash + 1;
    } else if (slash >= 0 && first.indexOf(':') >= 0) {
      return "\"" + first + "\" is not a valid registry host[:port]";
    }
    for (String component : name.substring(start).split("/", -1)) {
      if (!isPathComponent(component)) {
        return component.isEmpty()
            ? "empty path component in \"" + name + "\""
            : "invalid path component \"" + component + "\" (allowed: lowercase letters and"
                + " digits, separated by '.', '_', '__' or dashes)";
      }
    }
    return "invalid repository name \"" + name + "\"";
  }

  private static String tagProblem(String tag) {
    return "tag \"" + tag + "\" must be 1 to 128 characters of [A-Za-z0-9_.-], not starting with"
        + " '.' or '-'";
  }

  private static String nameTooLong() {
    return "repository name must not be more than " + MAX_REPOSITORY_LENGTH + " characters";
  }

  // ---------------------------------------------------------------------------------------------
  // The grammar's terminals, each a direct transcription of distribution's regexp.go

  private static boolean isAlnumLower(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean isAsciiAlnum(char c) {
    return isAlnumLower(c) || (c >= 'A' && c <= 'Z');
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** {@code [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*} */
  static boolean isPathComponent(String s) {
    int n = s.length();
    int i = 0;
    while (true) {
      int runStart = i;
      while (i < n && isAlnumLower(s.charAt(i))) {
        i++;
      }
      if (i == runStart) {
        return false;
      }
      if (i == n) {
        return true;
      }
      char c = s.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '_') {
        i++;
        if (i < n && s.charAt(i) == '_') {
          i++;
        }
      } else if (c == '-') {
        while (i < n && s.charAt(i) == '-') {
          i++;
        }
      } else {
        return false;
      }
    }
  }

  /** {@code path-component ('/' path-component)*} */
  static boolean isRemoteName(String s) {
    int start = 0;
    while (true) {
      int slash = s.indexOf('/', start);
      String component = slash < 0 ? s.substring(start) : s.substring(start, slash);
      if (!isPathComponent(component)) {
        return false;
      }
      if (slash < 0) {
        return true;
      }
      start = slash + 1;
    }
  }

  /** {@code (domain-name | '[' [a-fA-F0-9:]+ ']') (':' [0-9]+)?} */
  static boolean isDomain(String s) {
    String host = s;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        return false;
      }
      host = s.substring(0, close + 1);
      String after = s.substring(close + 1);
      if (!after.isEmpty()) {
        if (after.charAt(0) != ':') {
          return false;
        }
        port = after.substring(1);
      }
      if (host.length() < 3) {
        return false;
      }
      for (int i = 1; i < host.length() - 1; i++) {
        char c = host.charAt(i);
        if (!isHexDigit(c) && c != ':') {
          return false;
        }
      }
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0) {
        host = s.substring(0, colon);
        port = s.substring(colon + 1);
      }
      if (!isDomainName(host)) {
        return false;
      }
    }
    if (port != null) {
      if (port.isEmpty()) {
        return false;
      }
      for (int i = 0; i < port.length(); i++) {
        char c = port.charAt(i);
        if (c < '0' || c > '9') {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isDomainName(String s) {
    int start = 0;
    while (true) {
      int dot = s.indexOf('.', start);
      int end = dot < 0 ? s.length() : dot;
      if (end == start) {
        return false;
      }
      if (!isAsciiAlnum(s.charAt(start)) || !isAsciiAlnum(s.charAt(end - 1))) {
        return false;
      }
      for (int i = start + 1; i < end - 1; i++) {
        char c = s.charAt(i);
        if (!isAsciiAlnum(c) && c != '-') {
          return false;
        }
      }
      if (dot < 0) {
        return true;
      }
      start = dot + 1;
    }
  }

  /** {@code [\w][\w.-]{0,127}} with ASCII {@code \w}. */
  static boolean isTag(String s) {
    int n = s.length();
    if (n == 0 || n > 128) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean word = isAsciiAlnum(c) || c == '_';
      if (!word && (i == 0 || (c != '.' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /** {@code [A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}} */
  private static boolean isDigestSyntax(String s) {
    int colon = s.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String algorithm = s.substring(0, colon);
    String hex = s.substring(colon + 1);
    if (hex.length() < 32) {
      return false;
    }
    for (int i = 0; i < hex.length(); i++) {
      if (!isHexDigit(hex.charAt(i))) {
        return false;
      }
    }
    boolean componentStart = true;
    for (int i = 0; i < algorithm.length(); i++) {
      char c = algorithm.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (componentStart) {
        if (!letter) {
          return false;
        }
        componentStart = false;
      } else if (c == '-' || c == '_' || c == '+' || c == '.') {
        componentStart = true;
      } else if (!letter && !(c >= '0' && c <= '9')) {
        return false;
      }
    }
    return !algorithm.isEmpty() && !componentStart;
  }

  /**
   * Why a digest string is not acceptable, or null: go-digest's {@code Parse} with the algorithms
   * Docker registers (sha256, sha384, sha512), which requires the exact lowercase-hex length.
   */
  static String digestProblem(String d) {
    if (!isDigestSyntax(d)) {
      return "invalid digest \"" + d + "\": must be <algorithm>:<hex>";
    }
    int colon = d.indexOf(':');
    String algorithm = d.substring(0, colon);
    String hex = d.substring(colon + 1);
    int size;
    switch (algorithm) {
      case "sha256":
        size = 64;
        break;
      case "sha384":
        size = 96;
        break;
      case "sha512":
        size = 128;
        break;
      default:
        return "unsupported digest algorithm \"" + algorithm + "\"";
    }
    if (hex.length() != size) {
      return "invalid checksum digest length: " + algorithm + " needs " + size
          + " hex digits, got " + hex.length();
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return "invalid checksum digest format: hex digits must be lowercase";
      }
    }
    return null;
  }

  /** {@code ^[a-f0-9]{64}$}: Docker refuses these as names, they look like image IDs. */
  private static boolean isImageId(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The exception for a bad reference; control characters in the user's text are escaped so the
   * message stays on one line.
   */
  private static InvalidReferenceException invalid(String reference, String reason) {
    return new InvalidReferenceException(printable(reference), printable(reason));
  }

  private static String printable(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
      if (control && sb == null) {
        sb = new StringBuilder(s.substring(0, i));
      }
      if (sb == null) {
        continue;
      }
      if (!control) {
        sb.append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\r') {
        sb.append("\\r");
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb == null ? s : sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Loopback detection

  private static String hostWithoutPort(String domain) {
    if (domain.startsWith("[")) {
      return domain.substring(0, domain.indexOf(']') + 1);
    }
    int colon = domain.indexOf(':');
    return colon < 0 ? domain : domain.substring(0, colon);
  }

  private static boolean isIpv4Loopback(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      // Go's net.ParseIP rejects empty parts, more than 3 digits and leading zeros
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < part.length(); i++) {
        if (part.charAt(i) < '0' || part.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return parts[0].equals("127");
  }

  /** True for every spelling of ::1 (compressed or not) and for ::ffff:127.x.y.z is false. */
  private static boolean isIpv6Loopback(String address) {
    int[] groups = parseIpv6(address);
    if (groups == null) {
      return false;
    }
    for (int i = 0; i < 7; i++) {
      if (groups[i] != 0) {
        return false;
      }
    }
    return groups[7] == 1;
  }

  private static int[] parseIpv6(String address) {
    int doubleColon = address.indexOf("::");
    if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
      return null;
    }
    String head = doubleColon >= 0 ? address.substring(0, doubleColon) : address;
    String tail = doubleColon >= 0 ? address.substring(doubleColon + 2) : "";
    int[] headGroups = parseGroups(head);
    int[] tailGroups = parseGroups(tail);
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if ((doubleColon < 0 && total != 8) || (doubleColon >= 0 && total > 7)) {
      return null;
    }
    int[] groups = new int[8];
    System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
    System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
    return groups;
  }

  private static int[] parseGroups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int[] groups = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 4) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < part.length(); j++) {
        int digit = Character.digit(part.charAt(j), 16);
        if (digit < 0) {
          return null;
        }
        value = value * 16 + digit;
      }
      groups[i] = value;
    }
    return groups;
  }
}
