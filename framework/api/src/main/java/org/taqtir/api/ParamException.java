package org.taqtir.api;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parameter value a plugin does not accept, found by {@link ParamSpec#resolve}. The message is
 * one line that starts with the field and says the bad value and what is allowed, e.g. {@code
 * strategies[1].params.temperature must be > 0, found -1}; the study parser adds the file and line.
 */
public final class ParamException extends IllegalArgumentException {

  private static final int MAX_SHOWN = 80;

  private final String field;
  private final String unknownKey;
  private final Set<String> allowedKeys;

  /**
   * Creates the exception.
   *
   * @param field the config path of the bad value, e.g. {@code strategies[1].params.temperature}
   * @param message the one-line explanation, starting with the field
   * @param unknownKey the key when the problem is a key the plugin does not declare, else {@code
   *     null}
   * @param allowedKeys the keys the plugin declares (for suggestions); empty when not relevant
   */
  public ParamException(String field, String message, String unknownKey, Set<String> allowedKeys) {
    super(message);
    this.field = Objects.requireNonNull(field, "field");
    this.unknownKey = unknownKey;
    this.allowedKeys = Set.copyOf(allowedKeys);
  }

  /**
   * Returns the config path of the bad value.
   *
   * @return e.g. {@code strategies[1].params.temperature}
   */
  public String field() {
    return field;
  }

  /**
   * Returns the key the plugin does not declare, when that is the problem.
   *
   * @return the key, or {@code null} for a bad value of a declared parameter
   */
  public String unknownKey() {
    return unknownKey;
  }

  /**
   * Returns the parameter names the plugin declares, for a "did you mean" suggestion.
   *
   * @return the names; empty unless {@link #unknownKey()} is set
   */
  public Set<String> allowedKeys() {
    return allowedKeys;
  }

  /**
   * Shows a value the way a user wrote it in YAML: numbers and booleans bare, strings in double
   * quotes, lists and maps in flow style, long values shortened.
   *
   * @param value a value read from YAML ({@code null}, scalar, list or map)
   * @return a short one-line rendering
   */
  public static String show(Object value) {
    String s = render(value);
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN - 3) + "...";
  }

  private static String render(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
    if (value instanceof List<?> list) {
      StringBuilder sb = new StringBuilder("[");
      for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
        sb.append(render(it.next()));
        if (it.hasNext()) {
          sb.append(", ");
        }
        if (sb.length() > MAX_SHOWN) {
          break;
        }
      }
      return sb.append(']').toString();
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder sb = new StringBuilder("{");
      for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<?, ?> e = it.next();
        sb.append(e.getKey()).append(": ").append(render(e.getValue()));
        if (it.hasNext()) {
          sb.append(", ");
        }
        if (sb.length() > MAX_SHOWN) {
          break;
        }
      }
      return sb.append('}').toString();
    }
    return String.valueOf(value);
  }
}
