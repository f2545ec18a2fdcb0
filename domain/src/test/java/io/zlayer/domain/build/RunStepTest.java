package io.zlayer.domain.build;

import static io.zlayer.domain.build.Builds.createdBy;
import static io.zlayer.domain.build.Builds.dockerfile;
import static io.zlayer.domain.build.Builds.evaluate;
import static io.zlayer.domain.build.Builds.image;
import static io.zlayer.domain.build.Builds.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.domain.build.Builds.Evaluation;
import io.zlayer.domain.build.StepAction.RunCommand;
import io.zlayer.domain.dockerfile.instructions.MountType;
import io.zlayer.domain.dockerfile.instructions.NetworkMode;
import io.zlayer.domain.dockerfile.instructions.SecurityMode;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.ImageReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RunStepTest {

  private static RunCommand lastRun(String... lines) throws Exception {
    return run(evaluate(dockerfile(lines)).last());
  }

  @Test
  void shellFormUsesTheShellAndIsNotExpanded() throws Exception {
    Evaluation e = evaluate(dockerfile("FROM scratch", "ARG A=1", "RUN echo $A \"q\"",
        "SHELL [\"/bin/bash\", \"-c\"]", "RUN echo two"));
    assertEquals(List.of("/bin/sh", "-c", "echo $A \"q\""), run(e.target().get(1)).argv());
    assertEquals(List.of("/bin/bash", "-c", "echo two"), run(e.last()).argv());
    assertFalse(e.last().history().orElseThrow().emptyLayer());
  }

  @Test
  void execFormRunsAsWritten() throws Exception {
    RunCommand r = lastRun("FROM scratch", "RUN [\"/bin/echo\", \"$HOME\"]");
    assertEquals(List.of("/bin/echo", "$HOME"), r.argv());
  }

  @Test
  void workingDirUserNetworkAndSecurity() throws Exception {
    Evaluation e = evaluate(Builds.plan(dockerfile("FROM base", "WORKDIR app", "USER nobody",
        "RUN --network=none --security=insecure id")), Map.of("base:latest",
        image(ContainerConfig.EMPTY.toBuilder().env(List.of("PATH=/bin")).build())));
    RunCommand r = run(e.last());
    assertEquals("/app", r.workingDir());
    assertEquals(Optional.of("nobody"), r.user());
    assertEquals(NetworkMode.NONE, r.network());
    assertEquals(SecurityMode.INSECURE, r.security());
    assertEquals(List.of("PATH=/bin"), r.environment());
  }

  @Test
  void imagesWithoutWorkdirRunInRoot() throws Exception {
    Evaluation e = evaluate(Builds.plan(dockerfile("FROM base", "RUN pwd")), Map.of());
    assertEquals("/", run(e.last()).workingDir());
    assertEquals(Optional.empty(), run(e.last()).user());
  }

  @Test
  void emptyExecFormIsRejected() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> evaluate(dockerfile("FROM scratch", "RUN []")));
    assertEquals("Dockerfile:2: arguments are required", e.getMessage());
  }

  @Nested
  class Heredocs {
    @Test
    void aPlainHeredocIsTheScript() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch", "RUN <<EOF", "echo hi", "echo $HOME",
          "EOF"));
      RunCommand r = run(e.last());
      assertEquals(List.of("/bin/sh", "-c", "echo hi\necho $HOME\n"), r.argv());
      assertEquals(Optional.empty(), r.script());
      assertEquals("RUN /bin/sh -c echo hi\necho $HOME\n # buildkit", createdBy(e.last()));
    }

    @Test
    void aShebangHeredocRunsAsAFile() throws Exception {
      RunCommand r = lastRun("FROM scratch", "RUN <<script.py", "#!/usr/bin/env python3",
          "print('hi')", "script.py");
      assertEquals(List.of("/bin/sh", "-c", "/dev/pipes/script.py"), r.argv());
      StepAction.InlineScript script = r.script().orElseThrow();
      assertEquals("/dev/pipes/script.py", script.path());
      assertEquals("#!/usr/bin/env python3\nprint('hi')\n", script.content());
      assertEquals(0755, script.mode());
    }

    @Test
    void chompedAndQuotedHeredocs() throws Exception {
      RunCommand r = lastRun("FROM scratch", "RUN <<-'EOT'", "\techo $X", "\tEOT");
      assertEquals(List.of("/bin/sh", "-c", "echo $X\n"), r.argv());
    }

    @Test
    void aCommandWithHeredocsGoesToTheShellWhole() throws Exception {
      RunCommand r = lastRun("FROM scratch", "RUN python3 <<EOF > /out", "print(1)", "EOF");
      assertEquals(List.of("/bin/sh", "-c", "python3 <<EOF > /out\nprint(1)\nEOF"), r.argv());
      RunCommand two = lastRun("FROM scratch", "RUN cat <<A <<B", "a", "A", "b", "B");
      assertEquals(List.of("/bin/sh", "-c", "cat <<A <<B\na\nA\nb\nB"), two.argv());
    }
  }

  @Nested
  class Mounts {
    @Test
    void sourcesAndTargetsAreResolved() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM alpine AS tools", "FROM scratch",
          "WORKDIR /work", "ARG CACHE=/root/.cache",
          "RUN --mount=type=bind,from=tools,source=/bin,target=tools"
              + " --mount=type=cache,target=$CACHE,id=c1,sharing=locked"
              + " --mount=type=bind,target=/ctx,rw"
              + " --mount=type=tmpfs,target=/tmp,size=1m"
              + " --mount=type=secret,id=token"
              + " --mount=type=cache,from=nginx:1,target=/n make"));
      List<ResolvedMount> mounts = run(e.last()).mounts();
      assertEquals(6, mounts.size());
      assertEquals(Optional.of("/work/tools"), mounts.get(0).target());
      assertEquals(Optional.of(new FileSource.StageOutput(0)), mounts.get(0).source());
      assertEquals(Optional.of("/bin"), mounts.get(0).mount().source());
      assertEquals(Optional.of("/root/.cache"), mounts.get(1).target());
      assertEquals(Optional.of(new FileSource.Scratch()), mounts.get(1).source());
      assertEquals(Optional.of(new FileSource.BuildContext()), mounts.get(2).source());
      assertFalse(mounts.get(2).mount().readOnly());
      assertEquals(Optional.empty(), mounts.get(3).source());
      assertEquals(1 << 20, mounts.get(3).mount().sizeLimit());
      assertEquals(MountType.SECRET, mounts.get(4).mount().type());
      assertEquals(Optional.empty(), mounts.get(4).target());
      assertEquals(Optional.of(new FileSource.Image(ImageReference.parse("nginx:1"),
          Builds.AMD64)), mounts.get(5).source());
    }

    @Test
    void theRootCannotBeAMountTarget() {
      DockerfileException e = assertThrows(DockerfileException.class,
          () -> evaluate(dockerfile("FROM scratch", "RUN --mount=type=cache,target=. true")));
      assertEquals("Dockerfile:2: invalid mount target \"/\"", e.getMessage());
    }

    @Test
    void mountValuesAreExpandedWithTheStageEnvironment() throws Exception {
      Evaluation e = evaluate(dockerfile("FROM scratch", "ENV T=/t", "ARG ID=abc",
          "RUN --mount=type=cache,target=$T,id=$ID true"));
      ResolvedMount m = run(e.last()).mounts().get(0);
      assertEquals(Optional.of("/t"), m.target());
      assertEquals(Optional.of("abc"), m.mount().id());
    }

    @Test
    void invalidMountOptionsNameTheLine() {
      DockerfileException e = assertThrows(DockerfileException.class,
          () -> evaluate(dockerfile("FROM scratch", "ARG T=nope",
              "RUN --mount=type=$T,target=/x true")));
      assertEquals(3, e.line());
      assertEquals("Dockerfile:3: unsupported mount type \"nope\"", e.getMessage());
    }
  }
}
