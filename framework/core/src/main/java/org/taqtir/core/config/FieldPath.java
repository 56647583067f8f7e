package org.taqtir.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config paths such as {@code strategies[1].params.temperature}: keys joined by dots, list indices
 * in brackets. The root is the empty path.
 */
final class FieldPath {

  private static final Pattern PART = Pattern.compile("([A-Za-z0-9_-]+)((?:\\[\\d{1,9}])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

  private FieldPath() {}

  /**
   * Splits a path into keys ({@code String}) and indices ({@code Integer}).
   *
   * @return the segments, or {@code null} when the path is malformed
   */
  static List<Object> parse(String path) {
    List<Object> out = new ArrayList<>();
    for (String part : path.split("\\.", -1)) {
      Matcher m = PART.matcher(part);
      if (!m.matches()) {
        return null;
      }
      out.add(m.group(1));
      Matcher i = INDEX.matcher(m.group(2));
      while (i.find()) {
        out.add(Integer.parseInt(i.group(1)));
      }
    }
    return out;
  }

  static String render(List<Object> segments) {
    StringBuilder sb = new StringBuilder();
    for (Object s : segments) {
      if (s instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(s);
      }
    }
    return sb.toString();
  }

  static String key(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** The enclosing path: {@code a.b[2]} → {@code a.b} → {@code a} → the root. */
  static String parent(String path) {
    if (path.endsWith("]")) {
      return path.substring(0, path.lastIndexOf('['));
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  /** Whether {@code path} is {@code ancestor} itself or lies below it. */
  static boolean within(String path, String ancestor) {
    if (ancestor.isEmpty() || path.equals(ancestor)) {
      return true;
    }
    return path.startsWith(ancestor)
        && (path.charAt(ancestor.length()) == '.' || path.charAt(ancestor.length()) == '[');
  }
}
