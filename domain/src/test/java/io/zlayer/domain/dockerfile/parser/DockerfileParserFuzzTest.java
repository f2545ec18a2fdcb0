package io.zlayer.domain.dockerfile.parser;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.zlayer.domain.error.DockerfileException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Feeds arbitrary bytes to the parser. The only failure allowed is a {@link DockerfileException}
 * with a one-line message; a parse that succeeds must dump, agree with the String entry point on
 * valid UTF-8, and have sane line numbers. In a normal build this replays the seeds under
 * {@code DockerfileParserFuzzTestInputs/parse}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class DockerfileParserFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void parse(byte[] data) {
    String fromBytes = parseAndCheck(() -> DockerfileParser.parse(data, "Dockerfile"));
    String text = new String(data, StandardCharsets.UTF_8);
    if (Arrays.equals(text.getBytes(StandardCharsets.UTF_8), data)) {
      String fromText = parseAndCheck(() -> DockerfileParser.parse(text, "Dockerfile"));
      if (!fromBytes.equals(fromText)) {
        throw new AssertionError("byte and text parses differ: " + fromBytes + " / " + fromText);
      }
    }
  }

  private interface Parse {
    ParseResult run() throws DockerfileException;
  }

  /** The dump, or "error: message" when the input is rejected. */
  private static String parseAndCheck(Parse parse) {
    ParseResult result;
    try {
      result = parse.run();
    } catch (DockerfileException e) {
      String message = e.getMessage();
      if (message.isEmpty() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
        throw new AssertionError("error message is not one line: " + GoQuote.quote(message));
      }
      return "error: " + message;
    }
    int previousEnd = 0;
    for (Node node : result.instructions()) {
      if (node.startLine() <= previousEnd || node.endLine() < node.startLine()) {
        throw new AssertionError("bad lines " + node.startLine() + ".." + node.endLine()
            + " after " + previousEnd);
      }
      previousEnd = node.endLine();
    }
    if (result.escapeToken() != '\\' && result.escapeToken() != '`') {
      throw new AssertionError("escape token " + result.escapeToken());
    }
    return AstDump.dump(result.root());
  }
}
