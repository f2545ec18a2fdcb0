package io.zlayer.domain.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code from} and {@code target} of a {@code --mount} value as written, before expansion:
 * what BuildKit reads at parse time to find the stages a RUN depends on. The value is one CSV
 * record (Go's {@code encoding/csv}); its syntax was checked when the instruction was parsed.
 *
 * @param from the {@code from=} value, empty when absent
 * @param target the {@code target=} (or {@code dst=}, {@code destination=}) value
 */
record MountFields(String from, String target) {

  static MountFields scan(String spec) {
    String from = "";
    String target = "";
    for (String field : fields(spec)) {
      int eq = field.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = field.substring(0, eq).toLowerCase(Locale.ROOT);
      String value = field.substring(eq + 1);
      switch (key) {
        case "from" -> from = value;
        case "target", "dst", "destination" -> target = value;
        default -> { }
      }
    }
    return new MountFields(from, target);
  }

  /** One CSV record: a field starting with {@code "} is quoted and {@code ""} is a quote. */
  private static List<String> fields(String spec) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = spec.length();
    while (true) {
      StringBuilder field = new StringBuilder();
      if (i < n && spec.charAt(i) == '"') {
        i++;
        while (i < n) {
          char c = spec.charAt(i);
          if (c == '"') {
            if (i + 1 < n && spec.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field.append(c);
          i++;
        }
        while (i < n && spec.charAt(i) != ',') {
          i++;
        }
      } else {
        int comma = spec.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        field.append(spec, i, end);
        i = end;
      }
      out.add(field.toString());
      if (i >= n) {
        return out;
      }
      i++;
    }
  }
}
