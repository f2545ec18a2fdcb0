package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BuildKit's {@code BFlags}: the {@code --name=value} words of one instruction, checked against
 * the flags that instruction declares. Only the {@code --name=value} and (for booleans) bare
 * {@code --name} spellings exist; {@code --name value} is not a Dockerfile form. A {@code --}
 * word ends flag processing.
 */
final class InstructionFlags {

  enum Kind { BOOL, STRING, STRINGS }

  /** One declared flag and what the instruction gave it. */
  static final class Flag {
    private final String name;
    private final Kind kind;
    private String value;
    private final List<String> values = new ArrayList<>();
    private boolean used;

    private Flag(String name, Kind kind, String value) {
      this.name = name;
      this.kind = kind;
      this.value = value;
    }

    String name() {
      return name;
    }

    /** The last value (string flags) or {@code "true"}/{@code "false"} (bool flags). */
    String value() {
      return value;
    }

    /** Every value of a repeatable flag, in order. */
    List<String> values() {
      return List.copyOf(values);
    }

    boolean isUsed() {
      return used;
    }

    boolean isTrue() {
      if (kind != Kind.BOOL) {
        throw new IllegalStateException("--" + name + " is not a boolean flag");
      }
      return value.equals("true");
    }
  }

  private final List<String> args;
  private final Map<String, Flag> flags = new LinkedHashMap<>();
  private final List<String> usedOrder = new ArrayList<>();

  InstructionFlags(List<String> args) {
    this.args = List.copyOf(args);
  }

  Flag addBool(String name, boolean defaultValue) {
    return add(name, Kind.BOOL, defaultValue ? "true" : "false");
  }

  Flag addString(String name, String defaultValue) {
    return add(name, Kind.STRING, defaultValue);
  }

  Flag addStrings(String name) {
    return add(name, Kind.STRINGS, "");
  }

  private Flag add(String name, Kind kind, String defaultValue) {
    if (flags.containsKey(name)) {
      throw new IllegalStateException("flag --" + name + " declared twice");
    }
    Flag flag = new Flag(name, kind, defaultValue);
    flags.put(name, flag);
    return flag;
  }

  /** Names of the flags the instruction used, in the order first written. */
  List<String> used() {
    return List.copyOf(usedOrder);
  }

  /** Checks the words against the declared flags and records their values. */
  void parse() throws DockerfileException {
    for (String arg : args) {
      if (arg.equals("--")) {
        return;
      }
      if (!arg.startsWith("--")) {
        throw new DockerfileException("arg should start with -- : " + arg);
      }
      int eq = arg.indexOf('=');
      boolean hasValue = eq >= 0;
      String flagName = hasValue ? arg.substring(0, eq) : arg;
      String value = hasValue ? arg.substring(eq + 1) : "";
      String name = flagName.substring(2);

      Flag flag = flags.get(name);
      if (flag == null) {
        throw new DockerfileException(Suggestions.withHint(
            "unknown flag: " + flagName, name, List.copyOf(flags.keySet()), true));
      }
      if (flag.used && flag.kind != Kind.STRINGS) {
        throw new DockerfileException("duplicate flag specified: " + flagName);
      }
      if (!flag.used) {
        usedOrder.add(name);
      }
      flag.used = true;

      switch (flag.kind) {
        case BOOL -> {
          if (hasValue && value.isEmpty()) {
            throw new DockerfileException("missing a value on flag: " + flagName);
          }
          switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "" -> flag.value = "true";
            case "false" -> flag.value = "false";
            default -> throw new DockerfileException(
                "expecting boolean value for flag " + flagName + ", not: " + value);
          }
        }
        case STRING -> {
          if (!hasValue) {
            throw new DockerfileException("missing a value on flag: " + flagName);
          }
          flag.value = value;
        }
        case STRINGS -> {
          if (!hasValue) {
            throw new DockerfileException("missing a value on flag: " + flagName);
          }
          flag.values.add(value);
        }
        default -> throw new IllegalStateException(flag.kind.toString());
      }
    }
  }
}
