package io.zlayer.adapters.cli;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.zlayer.adapters.cli.progress.ManualClock;
import io.zlayer.adapters.cli.progress.Terminal;
import io.zlayer.application.usecase.InspectDockerfile;
import io.zlayer.application.usecase.ManageLocalImages;
import io.zlayer.application.usecase.PullImage;
import io.zlayer.application.usecase.PushImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A {@link ZlayerCli} over mocked use cases, capturing what it prints. */
final class CliHarness {
  final PullImage pull = mock(PullImage.class);
  final PushImage push = mock(PushImage.class);
  final ManageLocalImages images = mock(ManageLocalImages.class);
  final InspectDockerfile dockerfile = mock(InspectDockerfile.class);
  final CliUseCases useCases = mock(CliUseCases.class);
  final ManualClock clock = new ManualClock();
  final Map<String, String> env = new HashMap<>();
  Terminal terminal = Terminal.fixed(false, false, 80, 24);
  String stdin = "";

  CliHarness() {
    when(useCases.pullImage()).thenReturn(pull);
    when(useCases.pushImage()).thenReturn(push);
    when(useCases.localImages()).thenReturn(images);
    when(useCases.inspectDockerfile()).thenReturn(dockerfile);
  }

  /** What one run printed, and its exit status. */
  record Result(int code, String out, String err) {}

  ZlayerCli cli(StringWriter out, StringWriter err) {
    CliEnvironment environment = new CliEnvironment(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), env, terminal, clock);
    return new ZlayerCli(useCases, environment);
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = cli(out, err).execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** As {@link #run}, on the command tree with every command (never pruned). */
  Result runOnFullTree(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = cli(out, err).executeOnFullTree(args);
    return new Result(code, out.toString(), err.toString());
  }
}
