package io.zlayer.bootstrap.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * One folder of {@code corpus/} with its notes from {@code corpus/cases.properties}:
 * {@code <case>.buildah-bud = skip:<reason>}, {@code <case>.compare = config-only},
 * {@code <case>.target = <stage>} and the recorded buildah bud deviations
 * ({@code <case>.bud.config|label|file.<name> = <bud's value>}, see {@link BudDeviation}).
 */
record CorpusCase(String name, Path context, Optional<String> budSkipReason, boolean configOnly,
    Optional<String> target, List<BudDeviation> budDeviations) {

  static CorpusCase of(Path context, Properties notes) {
    String name = context.getFileName().toString();
    String bud = notes.getProperty(name + ".buildah-bud", "");
    if (!bud.isEmpty() && !bud.startsWith("skip:")) {
      throw new IllegalArgumentException(name + ".buildah-bud must be skip:<reason>: " + bud);
    }
    String compare = notes.getProperty(name + ".compare", "full");
    if (!compare.equals("full") && !compare.equals("config-only")) {
      throw new IllegalArgumentException(name + ".compare must be config-only: " + compare);
    }
    List<BudDeviation> deviations = new ArrayList<>();
    String prefix = name + ".bud.";
    for (String key : new java.util.TreeSet<>(notes.stringPropertyNames())) {
      if (key.startsWith(prefix)) {
        deviations.add(BudDeviation.parse(key.substring(prefix.length()),
            notes.getProperty(key)));
      }
    }
    return new CorpusCase(name, context,
        bud.isEmpty() ? Optional.empty() : Optional.of(bud.substring("skip:".length()).strip()),
        compare.equals("config-only"),
        Optional.ofNullable(notes.getProperty(name + ".target")), List.copyOf(deviations));
  }

  @Override
  public String toString() {
    return name;
  }
}
