package io.zlayer.domain.build;

import static io.zlayer.domain.build.Builds.dockerfile;
import static io.zlayer.domain.build.Builds.evaluate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.zlayer.domain.build.Builds.Evaluation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CacheFactsTest {
  private static final String DF = dockerfile("FROM scratch", "ARG EARLY=e", "COPY a /a",
      "RUN build", "ARG LATE", "COPY b /b", "RUN test", "WORKDIR /w$LATE", "COPY c /c");

  private static List<String> keys(Map<String, String> args) throws Exception {
    Evaluation e = evaluate(DF, args);
    return e.target().stream().map(s -> s.cacheFacts().key()).toList();
  }

  @Test
  void aLaterArgDoesNotChangeEarlierSteps() throws Exception {
    List<String> one = keys(Map.of("LATE", "1"));
    List<String> two = keys(Map.of("LATE", "2"));
    // ARG EARLY, COPY a, RUN build are the same; from ARG LATE on they differ where LATE is used
    assertEquals(one.subList(0, 3), two.subList(0, 3));
    assertNotEquals(one.get(3), two.get(3));
    assertEquals(one.get(4), two.get(4));
    assertNotEquals(one.get(5), two.get(5));
    assertNotEquals(one.get(6), two.get(6));
    assertEquals(one.get(7), two.get(7));
  }

  @Test
  void runUsesEveryArgInScopeOthersOnlyWhatTheyExpand() throws Exception {
    Evaluation e = evaluate(DF, Map.of("LATE", "x"));
    List<EvaluatedStep> steps = e.target();
    assertEquals(new TreeMap<>(Map.of("EARLY", Optional.of("e"))),
        steps.get(2).cacheFacts().args());
    assertEquals(new TreeMap<>(Map.of("EARLY", Optional.of("e"), "LATE", Optional.of("x"))),
        steps.get(5).cacheFacts().args());
    assertEquals(Map.of(), steps.get(4).cacheFacts().args());
    assertEquals(new TreeMap<>(Map.of("LATE", Optional.of("x"))),
        steps.get(6).cacheFacts().args());
  }

  @Test
  void unsetArgsAreNamedWithoutValue() throws Exception {
    Evaluation e = evaluate(DF);
    assertEquals(Optional.empty(), e.target().get(5).cacheFacts().args().get("LATE"));
    assertEquals(true, e.target().get(5).cacheFacts().key().endsWith("\narg \"LATE\""));
  }

  @Test
  void runFactsCoverTheEnvironmentAndContext() throws Exception {
    String base = e("RUN make");
    assertNotEquals(base, e("ENV X=1", "RUN make"));
    assertNotEquals(base, e("WORKDIR /src", "RUN make"));
    assertNotEquals(base, e("USER app", "RUN make"));
    assertNotEquals(base, e("RUN --network=none make"));
    assertNotEquals(base, e("RUN --mount=type=cache,target=/c make"));
    assertNotEquals(base, e("SHELL [\"/bin/bash\", \"-c\"]", "RUN make"));
    assertEquals(base, e("LABEL a=b", "EXPOSE 80", "CMD x", "RUN make"));
  }

  @Test
  void copyFactsCoverDestinationAndOptions() throws Exception {
    String base = e("COPY a b/");
    assertNotEquals(base, e("WORKDIR /x", "COPY a b/"));
    assertNotEquals(base, e("COPY a b"));
    assertNotEquals(base, e("COPY --chown=1 a b/"));
    assertNotEquals(base, e("COPY --link a b/"));
    assertNotEquals(base, e("COPY --exclude=*.md a b/"));
    assertEquals(base, e("ENV UNUSED=1", "COPY a b/"));
    assertEquals(base, e("WORKDIR /", "COPY a b/"));
  }

  @Test
  void factsAreCanonicalText() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "WORKDIR /src", "RUN make"));
    assertEquals("RUN\nargv [\"/bin/sh\" \"-c\" \"make\"]\nenv [\"PATH=/usr/local/sbin:"
        + "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]\ndir \"/src\"\nuser \"\"\n"
        + "network \"default\"\nsecurity \"sandbox\"", e.last().cacheFacts().key());
  }

  /** The cache key of the last step of a scratch stage with these instructions. */
  private static String e(String... instructions) throws Exception {
    String[] lines = new String[instructions.length + 1];
    lines[0] = "FROM scratch";
    System.arraycopy(instructions, 0, lines, 1, instructions.length);
    return evaluate(dockerfile(lines)).last().cacheFacts().key();
  }
}
