package org.taqtir.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The line of every key and list element of a YAML text, found with Jackson's streaming parser, so
 * semantic errors found after binding can still name a line. Also rejects a key written twice in
 * one mapping, which a tree would silently collapse.
 */
final class LineMap {

  private final Map<String, Integer> lines;

  private LineMap(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /**
   * Scans a YAML text.
   *
   * @param factory the YAML factory
   * @param text the study text, already known to parse
   * @param file the file name for messages
   * @throws ConfigException on a duplicate key or a second YAML document
   * @throws IOException on a syntax error, for the caller to report
   */
  static LineMap scan(YAMLFactory factory, String text, String file) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    Deque<Frame> stack = new ArrayDeque<>();
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
          }
          case START_OBJECT, START_ARRAY -> stack.push(new Frame(valuePath(top, line, lines), t));
          case END_OBJECT, END_ARRAY -> stack.pop();
          default -> valuePath(top, line, lines);
        }
        rootDone = stack.isEmpty();
      }
    }
    return new LineMap(lines);
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
    final Set<String> keys = new HashSet<>();
    int index = -1;
    String pending;

    Frame(String path, JsonToken start) {
      this.path = path;
      this.array = start == JsonToken.START_ARRAY;
    }
  }
}
