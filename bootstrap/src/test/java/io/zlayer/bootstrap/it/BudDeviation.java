package io.zlayer.bootstrap.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Optional;

/**
 * One documented place where {@code buildah bud} 1.28 gives another result than Docker (which
 * zlayer follows), recorded in {@code corpus/cases.properties} as {@code
 * <case>.bud.<kind>.<name> = <what bud has>} ({@code -} for "missing"):
 * <ul>
 *   <li>{@code config.<Field>}: the JSON value of a config field;
 *   <li>{@code label.<key>}: the JSON value of one label;
 *   <li>{@code file.<path>}: the {@link FlattenedTree} line of one path.
 * </ul>
 * {@link #reconcile} checks that bud still has exactly that and zlayer something else, then
 * puts zlayer's value into bud's snapshot, so nothing else is hidden.
 */
sealed interface BudDeviation {

  ImageSnapshot reconcile(ImageSnapshot bud, ImageSnapshot zlayer);

  static BudDeviation parse(String key, String value) {
    int dot = key.indexOf('.');
    String kind = dot < 0 ? key : key.substring(0, dot);
    String name = dot < 0 ? "" : key.substring(dot + 1);
    return switch (kind) {
      case "config" -> {
        if (!ConfigFields.NAMES.contains(name)) {
          throw new IllegalArgumentException("not a compared config field: " + key);
        }
        yield new ConfigField(name, json(key, value));
      }
      case "label" -> new Label(name, json(key, value));
      case "file" -> new FileEntry(name, value.equals("-") ? Optional.empty()
          : Optional.of(value));
      default -> throw new IllegalArgumentException(
          "unknown deviation kind (config|label|file): " + key);
    };
  }

  private static JsonNode json(String key, String value) {
    if (value.equals("-")) {
      return MissingNode.getInstance();
    }
    try {
      return ConfigFields.JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(key + ": not JSON: " + value, e);
    }
  }

  private static void check(boolean budStillHasIt, boolean zlayerDiffers, String what,
      String recorded, String bud, String zlayer) {
    if (!budStillHasIt) {
      throw new AssertionError("recorded buildah bud deviation " + what
          + " is no longer true: recorded " + recorded + ", bud has " + bud);
    }
    if (!zlayerDiffers) {
      throw new AssertionError("recorded buildah bud deviation " + what
          + " is not a deviation: zlayer has the same " + zlayer);
    }
  }

  /** A config field bud sets differently. */
  record ConfigField(String field, JsonNode budValue) implements BudDeviation {
    @Override
    public ImageSnapshot reconcile(ImageSnapshot bud, ImageSnapshot zlayer) {
      JsonNode b = bud.config().get(field);
      JsonNode z = zlayer.config().get(field);
      check(b.equals(budValue), !z.equals(budValue), "config " + field,
          ConfigFields.show(budValue), ConfigFields.show(b), ConfigFields.show(z));
      return bud.withConfig(bud.config().with(field, z));
    }
  }

  /** A label bud adds or sets differently. */
  record Label(String key, JsonNode budValue) implements BudDeviation {
    @Override
    public ImageSnapshot reconcile(ImageSnapshot bud, ImageSnapshot zlayer) {
      JsonNode b = bud.config().label(key);
      JsonNode z = zlayer.config().label(key);
      check(b.equals(budValue), !z.equals(budValue), "label " + key,
          ConfigFields.show(budValue), ConfigFields.show(b), ConfigFields.show(z));
      return bud.withConfig(bud.config().withLabel(key, z));
    }
  }

  /** A path bud leaves, lacks or writes differently. */
  record FileEntry(String path, Optional<String> budLine) implements BudDeviation {
    @Override
    public ImageSnapshot reconcile(ImageSnapshot bud, ImageSnapshot zlayer) {
      Optional<String> b = bud.tree().entry(path);
      Optional<String> z = zlayer.tree().entry(path);
      check(b.equals(budLine), !z.equals(budLine), "file " + path, budLine.orElse("-"),
          b.orElse("-"), z.orElse("-"));
      return bud.withTree(bud.tree().with(path, z));
    }
  }
}
