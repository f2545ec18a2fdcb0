package io.zlayer.domain.zimage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds YAML-like trees (ordered maps, lists, scalars) for tests. */
public final class Trees {
  private Trees() {}

  /** {@code map("a", 1, "b", list(...))}: keys and values alternating, in order. */
  public static Map<String, Object> map(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must alternate");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  public static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }
}
