package io.zlayer.adapters.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.zimage.TreePath;
import io.zlayer.domain.zimage.YamlSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a YAML document (ZImagefile, ZPipeline) into the plain tree the domain takes, noting the
 * line of every value so the domain's errors can name it. Scalars keep what was written: an
 * integer written plainly becomes a {@code Long}, any other number stays the text it was
 * ({@code 1.90}, {@code 0755}), so no version or mode is altered on the way. A syntax error or
 * a repeated key is one line naming the file and line.
 */
final class YamlTreeReader {
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final Pattern MARK = Pattern.compile("^ in '[^']*', line (\\d+), column \\d+");
  private static final Pattern YAML12_BOOLEAN = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern PLAIN_INTEGER = Pattern.compile("-?(?:0|[1-9][0-9]{0,17})");

  /** A document and where its values are. */
  record Document(Object tree, YamlSource source) {}

  private final String name;
  private final Map<String, Integer> lines = new HashMap<>();
  private JsonParser parser;

  private YamlTreeReader(String name) {
    this.name = name;
  }

  /** Reads {@code file}, naming it {@code displayName} in messages. */
  static Document read(Path file, String displayName) throws ZlayerException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UsageException(displayName + " not found");
    } catch (IOException e) {
      throw new UsageException("cannot read " + displayName + ": " + e.getMessage());
    }
    return parse(content, displayName);
  }

  static Document parse(byte[] content, String displayName) throws DockerfileException {
    return new YamlTreeReader(displayName).run(content);
  }

  private Document run(byte[] content) throws DockerfileException {
    try (JsonParser p = FACTORY.createParser(content)) {
      parser = p;
      JsonToken first = p.nextToken();
      Object tree = first == null ? null : value(TreePath.ROOT);
      JsonToken more = p.nextToken();
      if (more != null) {
        throw new DockerfileException(name, line(p.currentTokenLocation()),
            "a second YAML document; the file must hold one");
      }
      return new Document(tree, new YamlSource(name, lines));
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new DockerfileException(name, 0, "cannot read YAML: " + e.getMessage());
    }
  }

  /** The value at the current token (its first token already read). */
  private Object value(TreePath path) throws IOException, DockerfileException {
    JsonToken t = parser.currentToken();
    lines.putIfAbsent(path.text(), line(parser.currentTokenLocation()));
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = line(parser.currentTokenLocation());
          TreePath child = path.child(key);
          if (map.containsKey(key)) {
            throw new DockerfileException(name, keyLine, (path.isRoot() ? "" : path + ": ")
                + "\"" + key + "\" is given twice");
          }
          lines.put(child.text(), keyLine);
          parser.nextToken();
          map.put(key, value(child));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(path.index(list.size())));
        }
        return list;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT: {
        String text = parser.getText();
        return PLAIN_INTEGER.matcher(text).matches() ? Long.valueOf(text) : text;
      }
      case VALUE_NUMBER_FLOAT:
        return parser.getText();
      case VALUE_TRUE:
      case VALUE_FALSE:
        // YAML 1.1 booleans (yes, on, …) stay words, as in YAML 1.2 and zlayer's other readers
        return YAML12_BOOLEAN.matcher(parser.getText()).matches()
            ? Boolean.valueOf(t == JsonToken.VALUE_TRUE) : parser.getText();
      case VALUE_NULL:
        return null;
      default:
        throw new DockerfileException(name, line(parser.currentTokenLocation()),
            "unsupported YAML value (" + t + ")");
    }
  }

  private static int line(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? 0 : location.getLineNr();
  }

  /**
   * SnakeYAML's message is a context ("while parsing a block mapping"), the problem, and for
   * each the place it is at ({@code  in 'reader', line 3, column 2:} plus the source line and a
   * caret). This keeps the problem with its line and the context's line in words.
   */
  private DockerfileException syntaxError(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    List<String> texts = new ArrayList<>();
    List<Integer> marks = new ArrayList<>();
    for (String raw : message.split("\n")) {
      java.util.regex.Matcher m = MARK.matcher(raw);
      if (m.find()) {
        while (marks.size() < texts.size()) {
          marks.add(Integer.parseInt(m.group(1)));
        }
      } else if (!raw.isEmpty() && !Character.isWhitespace(raw.charAt(0))) {
        texts.add(raw.strip());
      }
    }
    if (texts.isEmpty()) {
      return new DockerfileException(name, line(e.getLocation()), "invalid YAML");
    }
    int last = texts.size() - 1;
    int problemLine = last < marks.size() ? marks.get(last) : line(e.getLocation());
    String detail = "invalid YAML: " + texts.get(last);
    if (last > 0) {
      detail += " (" + texts.get(0) + (marks.isEmpty() || marks.get(0) == problemLine ? ""
          : " that starts on line " + marks.get(0)) + ")";
    }
    return new DockerfileException(name, problemLine, detail);
  }
}
