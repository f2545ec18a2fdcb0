package io.zlayer.domain.build;

import static io.zlayer.domain.build.Builds.dockerfile;
import static io.zlayer.domain.build.Builds.evaluate;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.domain.build.Builds.Evaluation;
import io.zlayer.domain.image.HistoryEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code created_by} texts BuildKit's dockerfile2llb writes, one per instruction kind. */
class HistoryTest {

  private record Entry(String createdBy, boolean emptyLayer) {}

  private static List<Entry> history(Evaluation e) {
    return e.targetEvaluator().image().history().stream()
        .map(h -> new Entry(h.createdBy().orElseThrow(), h.emptyLayer())).toList();
  }

  @Test
  void everyInstructionKind() throws Exception {
    Evaluation e = evaluate(dockerfile(
        "FROM scratch",
        "ARG VERSION=1.0 FLAG",
        "ENV APP=/app LANG=C.UTF-8",
        "ENV OLD legacy form",
        "LABEL org.opencontainers.image.version=$VERSION",
        "WORKDIR $APP",
        "USER 1000:1000",
        "COPY --chown=1000 --chmod=755 bin/ lib/ ./",
        "ADD https://example.com/x.tgz /tmp/",
        "RUN make install",
        "RUN [\"/app/bin/check\", \"--all\"]",
        "EXPOSE 8080 53/udp",
        "VOLUME /data",
        "STOPSIGNAL SIGINT",
        "SHELL [\"/bin/bash\", \"-c\"]",
        "HEALTHCHECK --interval=5m --timeout=3s CMD curl -f http://localhost/",
        "ONBUILD RUN echo child",
        "MAINTAINER someone",
        "ENTRYPOINT [\"/app/bin/server\"]",
        "CMD serve --port 8080"), Map.of("FLAG", "on"));
    assertEquals(List.of(
        new Entry("ARG VERSION=1.0 FLAG=on", true),
        new Entry("ENV APP=/app LANG=C.UTF-8", true),
        new Entry("ENV OLD=legacy form", true),
        new Entry("LABEL org.opencontainers.image.version=1.0", true),
        new Entry("WORKDIR /app", false),
        new Entry("USER 1000:1000", true),
        new Entry("COPY --chown=1000 --chmod=755 bin/ lib/ ./ # buildkit", false),
        new Entry("ADD https://example.com/x.tgz /tmp/ # buildkit", false),
        new Entry("RUN |2 VERSION=1.0 FLAG=on /bin/sh -c make install # buildkit", false),
        new Entry("RUN |2 VERSION=1.0 FLAG=on /app/bin/check --all # buildkit", false),
        new Entry("EXPOSE [53/udp 8080/tcp]", true),
        new Entry("VOLUME [/data]", true),
        new Entry("STOPSIGNAL SIGINT", true),
        new Entry("SHELL [/bin/bash -c]", true),
        new Entry("HEALTHCHECK {Test:[CMD-SHELL curl -f http://localhost/] Interval:5m0s"
            + " Timeout:3s StartPeriod:0s StartInterval:0s Retries:0}", true),
        new Entry("MAINTAINER someone", true),
        new Entry("ENTRYPOINT [\"/app/bin/server\"]", true),
        new Entry("CMD [\"/bin/bash\" \"-c\" \"serve --port 8080\"]", true)), history(e));
  }

  @Test
  void entriesCarryBuildKitsCommentAndNoTime() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "RUN true"));
    HistoryEntry entry = e.last().history().orElseThrow();
    assertEquals(Optional.of(StageEvaluator.HISTORY_COMMENT), entry.comment());
    assertEquals(Optional.empty(), entry.created());
    assertEquals(Optional.empty(), entry.author());
  }

  @Test
  void goQuotingInCmd() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch",
        "CMD [\"printf\", \"a\\tb\\n\", \"quote\\\"d\", \"caf\u00e9\"]"));
    assertEquals("CMD [\"printf\" \"a\\tb\\n\" \"quote\\\"d\" \"caf\u00e9\"]",
        e.last().history().orElseThrow().createdBy().orElseThrow());
  }

  @Test
  void argsOfTheStageAreListedOnceInDeclarationOrder() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "ARG B=1", "ARG A=2", "ARG B=3",
        "RUN x"));
    assertEquals("RUN |2 B=3 A=2 /bin/sh -c x # buildkit",
        e.last().history().orElseThrow().createdBy().orElseThrow());
  }
}
