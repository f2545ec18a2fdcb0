package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * BuildKit's {@code commands_runmount.go}: a {@code --mount} value is a CSV list of
 * {@code key=value} fields. At parse time BuildKit only splits the CSV and rejects variables in
 * {@code from}; everything else is checked when the instruction is dispatched, after each value
 * went through the word expander ({@link #resolve}).
 */
final class MountParser {
  private static final List<String> TYPES =
      Arrays.stream(MountType.values()).map(MountType::value).toList();
  private static final List<String> SHARING_MODES =
      Arrays.stream(CacheSharing.values()).map(CacheSharing::value).toList();
  private static final List<String> KEYS = List.of("type", "from", "source", "target",
      "readonly", "id", "sharing", "required", "size", "mode", "uid", "gid", "src", "dst",
      "destination", "ro", "rw", "readwrite", "env");

  private MountParser() {}

  /** The parse-time checks: CSV syntax, and no variable in {@code from}. */
  static void check(String spec) throws DockerfileException {
    for (String field : fields(spec)) {
      int eq = field.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = field.substring(0, eq).toLowerCase(Locale.ROOT);
      String value = field.substring(eq + 1);
      int dollar = value.indexOf('$');
      if (key.equals("from") && dollar >= 0 && dollar != value.length() - 1) {
        throw new DockerfileException(
            "'from' doesn't support variable expansion, define alias stage instead");
      }
    }
  }

  /** The mount, every value expanded, BuildKit's defaults applied and its rules checked. */
  static Mount resolve(String spec, WordExpander expander) throws DockerfileException {
    MountType type = MountType.BIND;
    String from = "";
    String source = "";
    String target = "";
    boolean readOnly = false;
    boolean readOnlyAuto = true;
    long sizeLimit = 0;
    String id = "";
    CacheSharing sharing = null;
    boolean required = false;
    String env = null;
    OptionalLong mode = OptionalLong.empty();
    OptionalLong uid = OptionalLong.empty();
    OptionalLong gid = OptionalLong.empty();

    for (String field : fields(spec)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (eq < 0) {
        switch (key) {
          case "readonly", "ro" -> {
            readOnly = true;
            readOnlyAuto = false;
          }
          case "readwrite", "rw" -> {
            readOnly = false;
            readOnlyAuto = false;
          }
          case "required" -> {
            if (type != MountType.SECRET && type != MountType.SSH) {
              throw unexpectedKey(key, type);
            }
            required = true;
          }
          default -> throw new DockerfileException(
              "invalid field '" + field + "' must be a key=value pair");
        }
        continue;
      }
      String value = expander.expandWord(field.substring(eq + 1));
      switch (key) {
        case "type" -> type = MountType.of(value).orElseThrow(() -> new DockerfileException(
            Suggestions.withHint("unsupported mount type " + GoSyntax.quote(value), value,
                TYPES, true)));
        case "from" -> from = value;
        case "source", "src" -> source = value;
        case "target", "dst", "destination" -> target = value;
        case "readonly", "ro" -> {
          readOnly = bool(key, value);
          readOnlyAuto = false;
        }
        case "readwrite", "rw" -> {
          readOnly = !bool(key, value);
          readOnlyAuto = false;
        }
        case "required" -> {
          if (type != MountType.SECRET && type != MountType.SSH) {
            throw unexpectedKey(key, type);
          }
          required = bool(key, value);
        }
        case "size" -> {
          if (type != MountType.TMPFS) {
            throw unexpectedKey(key, type);
          }
          sizeLimit = GoSyntax.ramInBytes(value).orElseThrow(() -> invalidValue(key, value));
        }
        case "id" -> id = value;
        case "sharing" -> sharing = CacheSharing.of(value).orElseThrow(
            () -> new DockerfileException(Suggestions.withHint(
                "unsupported sharing value " + GoSyntax.quote(value), value, SHARING_MODES,
                true)));
        case "mode" -> mode = number(value, 8, "mode");
        case "uid" -> uid = number(value, 10, "uid");
        case "gid" -> gid = number(value, 10, "gid");
        case "env" -> env = value;
        default -> throw new DockerfileException(Suggestions.withHint(
            "unexpected key '" + key + "' in '" + field + "'", key, KEYS, true));
      }
    }

    boolean fileInfoAllowed =
        type == MountType.SECRET || type == MountType.SSH || type == MountType.CACHE;
    if (!fileInfoAllowed) {
      String quotedType = GoSyntax.quote(type.value());
      if (mode.isPresent()) {
        throw new DockerfileException("mode not allowed for " + quotedType + " type mounts");
      }
      if (uid.isPresent()) {
        throw new DockerfileException("uid not allowed for " + quotedType + " type mounts");
      }
      if (gid.isPresent()) {
        throw new DockerfileException("gid not allowed for " + quotedType + " type mounts");
      }
    }
    if (readOnlyAuto) {
      readOnly = type != MountType.CACHE && type != MountType.TMPFS;
    }
    if (type == MountType.SECRET) {
      if (!from.isEmpty()) {
        throw new DockerfileException("secret mount should not have a from");
      }
      if (sharing != null) {
        throw new DockerfileException("secret mount should not define sharing");
      }
      if (source.isEmpty() && target.isEmpty() && id.isEmpty()) {
        throw new DockerfileException("invalid secret mount. one of source, target required");
      }
      if (!source.isEmpty() && !id.isEmpty()) {
        throw new DockerfileException("both source and id can't be set");
      }
    }
    if (sharing != null && type != MountType.CACHE) {
      throw new DockerfileException(
          "invalid cache sharing set for " + type.value() + " mount");
    }
    return new Mount(type, present(from), present(source), present(target), readOnly,
        sizeLimit, present(id), Optional.ofNullable(sharing), required,
        Optional.ofNullable(env), mode, uid, gid);
  }

  private static Optional<String> present(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static boolean bool(String key, String value) throws DockerfileException {
    return GoSyntax.parseBool(value).orElseThrow(() -> invalidValue(key, value));
  }

  private static OptionalLong number(String value, int base, String key)
      throws DockerfileException {
    OptionalLong n = GoSyntax.parseUnsigned(value, base, 32);
    if (n.isEmpty()) {
      throw new DockerfileException("invalid value " + value + " for " + key);
    }
    return n;
  }

  private static DockerfileException invalidValue(String key, String value) {
    return new DockerfileException("invalid value for " + key + ": " + value);
  }

  private static DockerfileException unexpectedKey(String key, MountType type) {
    return new DockerfileException(
        "unexpected key '" + key + "' for mount type '" + type.value() + "'");
  }

  /**
   * Splits one CSV record as Go's {@code encoding/csv} does (no lazy quotes, no trimming): a
   * field that starts with {@code "} is quoted and {@code ""} inside it is a quote.
   */
  static List<String> fields(String spec) throws DockerfileException {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = spec.length();
    while (true) {
      StringBuilder field = new StringBuilder();
      if (i < n && spec.charAt(i) == '"') {
        i++;
        while (true) {
          int quote = spec.indexOf('"', i);
          if (quote < 0) {
            throw csvError("extraneous or missing \" in quoted-field");
          }
          field.append(spec, i, quote);
          i = quote + 1;
          if (i < n && spec.charAt(i) == '"') {
            field.append('"');
            i++;
          } else if (i == n || spec.charAt(i) == ',') {
            break;
          } else {
            throw csvError("extraneous or missing \" in quoted-field");
          }
        }
      } else {
        int comma = spec.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        String raw = spec.substring(i, end);
        if (raw.indexOf('"') >= 0) {
          throw csvError("bare \" in non-quoted-field");
        }
        field.append(raw);
        i = end;
      }
      out.add(field.toString());
      if (i >= n) {
        return out;
      }
      i++; // the comma
    }
  }

  private static DockerfileException csvError(String detail) {
    return new DockerfileException("failed to parse csv mounts: " + detail);
  }
}
