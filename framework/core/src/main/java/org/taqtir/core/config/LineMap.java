package org.taqtir.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tree of a YAML text and the line of every key and list element, built in one pass of
 * Jackson's streaming parser, so semantic errors found after binding can still name a line. Also
 * rejects a key written twice in one mapping, which a tree would silently collapse, and an alias
 * ({@code *name}), which Jackson would read as the text {@code "name"} instead of the anchored
 * value. YAML's {@code .nan} and {@code .inf} become NaN and infinity (Jackson cannot read them as
 * numbers), so the field's own check refuses them by name; the text of every non-finite number is
 * kept for messages ({@code 1e999}, not {@code Infinity}).
 */
final class LineMap {

  private static final Pattern INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
  private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

  private final Map<String, Integer> lines;
  private final Map<String, String> nonFinite;
  private final JsonNode root;

  private LineMap(Map<String, Integer> lines, Map<String, String> nonFinite, JsonNode root) {
    this.lines = lines;
    this.nonFinite = nonFinite;
    this.root = root;
  }

  /**
   * Reads a YAML text.
   *
   * @param factory the YAML factory
   * @param text the study text
   * @param file the file name for messages
   * @throws ConfigException on a duplicate key, an alias or a second YAML document
   * @throws IOException on a syntax error, for the caller to report
   */
  static LineMap scan(YAMLFactory factory, String text, String file) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    Map<String, String> nonFinite = new HashMap<>();
    Deque<Frame> stack = new ArrayDeque<>();
    JsonNode root = null;
    try (JsonParser p = factory.createParser(text)) {
      boolean rootDone = false;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        int line = p.currentTokenLocation().getLineNr();
        if (rootDone) {
          throw new ConfigException(
              file, line, "", "a study file holds one YAML document; remove the second one");
        }
        Frame top = stack.peek();
        switch (t) {
          case FIELD_NAME -> {
            String path = FieldPath.key(top.path, p.currentName());
            Integer first = lines.get(path);
            if (!top.keys.add(p.currentName())) {
              throw new ConfigException(
                  file,
                  line,
                  path,
                  path + " is written twice (first at line " + first + "); keep one");
            }
            lines.put(path, line);
            top.pending = path;
            top.key = p.currentName();
          }
          case START_OBJECT, START_ARRAY -> {
            String path = valuePath(top, line, lines);
            JsonNode node =
                t == JsonToken.START_OBJECT
                    ? JsonNodeFactory.instance.objectNode()
                    : JsonNodeFactory.instance.arrayNode();
            root = attach(top, node, root);
            stack.push(new Frame(path, t, node));
          }
          case END_OBJECT, END_ARRAY -> stack.pop();
          default -> {
            String path = valuePath(top, line, lines);
            if (p instanceof YAMLParser y && y.isCurrentAlias()) {
              String at = path.isEmpty() ? "the study" : path;
              throw new ConfigException(
                  file,
                  line,
                  path,
                  at
                      + ": YAML aliases (*"
                      + p.getText()
                      + ") are not supported; write the value out instead of referring to an"
                      + " anchor");
            }
            root = attach(top, scalar(p, t, path, nonFinite), root);
          }
        }
        rootDone = stack.isEmpty() && root != null;
      }
    }
    return new LineMap(lines, nonFinite, root);
  }

  private static JsonNode scalar(JsonParser p, JsonToken t, String path, Map<String, String> raw)
      throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (t) {
      case VALUE_STRING -> f.textNode(p.getText());
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> f.numberNode(p.getIntValue());
            case LONG -> f.numberNode(p.getLongValue());
            default -> f.numberNode(p.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> {
        String text = p.getText().strip();
        double v =
            NAN.matcher(text).matches()
                ? Double.NaN
                : INF.matcher(text).matches()
                    ? (text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                    : p.getDoubleValue();
        if (!Double.isFinite(v)) {
          raw.put(path, text);
        }
        yield f.numberNode(v);
      }
      case VALUE_TRUE -> f.booleanNode(true);
      case VALUE_FALSE -> f.booleanNode(false);
      case VALUE_NULL -> f.nullNode();
      case VALUE_EMBEDDED_OBJECT ->
          p.getEmbeddedObject() instanceof byte[] b ? f.binaryNode(b) : f.pojoNode(p.getText());
      default -> throw new IllegalStateException("unexpected YAML token " + t);
    };
  }

  /** Puts a node under its parent (the pending key of a mapping, or the end of a list). */
  private static JsonNode attach(Frame parent, JsonNode node, JsonNode root) {
    if (parent == null) {
      return node;
    }
    if (parent.node instanceof ObjectNode o) {
      o.set(parent.key, node);
    } else {
      ((ArrayNode) parent.node).add(node);
    }
    return root;
  }

  /**
   * Returns the tree.
   *
   * @return the document's root node, or null for an empty document
   */
  JsonNode root() {
    return root;
  }

  /**
   * Returns a non-finite number as it was written ({@code .nan}, {@code 1e999}).
   *
   * @param path the field
   * @return the text, or null when the field holds no non-finite number
   */
  String nonFinite(String path) {
    return nonFinite.get(path);
  }

  private static String valuePath(Frame frame, int line, Map<String, Integer> lines) {
    if (frame == null) {
      return "";
    }
    if (frame.array) {
      String path = FieldPath.index(frame.path, ++frame.index);
      lines.put(path, line);
      return path;
    }
    return frame.pending;
  }

  /**
   * Returns the line where a path is written.
   *
   * @return the 1-based line, or 0 when the file does not contain the path
   */
  int exact(String path) {
    return lines.getOrDefault(path, 0);
  }

  /**
   * Returns the line of the path or, when it is absent (a missing field), of its nearest written
   * ancestor; 0 when only the root encloses it.
   */
  int nearest(String path) {
    for (String p = path; !p.isEmpty(); p = FieldPath.parent(p)) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  private static final class Frame {
    final String path;
    final boolean array;
    final JsonNode node;
    final Set<String> keys = new HashSet<>();
    int index = -1;
    String pending;
    String key;

    Frame(String path, JsonToken start, JsonNode node) {
      this.path = path;
      this.array = start == JsonToken.START_ARRAY;
      this.node = node;
    }
  }
}
