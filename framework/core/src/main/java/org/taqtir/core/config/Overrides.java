package org.taqtir.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line overrides ({@code -P training.epochs=2}, {@code -P seeds=[1,2]}) applied to the YAML
 * tree before binding, so they pass exactly the checks a value written in the file passes.
 */
final class Overrides {

  /**
   * One override.
   *
   * @param text as the user gave it, {@code path=value}, for messages
   * @param path the canonical path
   * @param segments keys and indices of the path
   * @param value the value, parsed as a YAML flow value
   */
  record Override(String text, String path, List<Object> segments, JsonNode value) {}

  private Overrides() {}

  static List<Override> parse(Map<String, String> raw, String file, ObjectMapper yaml) {
    List<Override> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String key = e.getKey().strip();
      String value = e.getValue() == null ? "" : e.getValue();
      String text = key + "=" + value;
      List<Object> segments = FieldPath.parse(key);
      if (segments == null) {
        throw new ConfigException(
            file,
            0,
            key,
            "override -P "
                + text
                + " has a malformed path; expected keys and [index]es joined by dots, e.g."
                + " strategies[1].params.temperature=2");
      }
      String path = FieldPath.render(segments);
      JsonNode node;
      try {
        node = value.isBlank() ? NullNode.getInstance() : yaml.readTree(value);
      } catch (JacksonException ex) {
        throw new ConfigException(
                path, path + " is not a valid YAML value: " + oneLine(ex.getOriginalMessage()))
            .fromOverride(file, text);
      }
      if (node == null || node.isMissingNode()) {
        node = NullNode.getInstance();
      }
      out.add(new Override(text, path, segments, node));
    }
    return out;
  }

  /** Sets the value, creating missing mappings on the way; never creates list entries. */
  static void apply(ObjectNode root, Override o, String file) {
    JsonNode cur = root;
    List<Object> segs = o.segments();
    for (int i = 0; i < segs.size(); i++) {
      Object seg = segs.get(i);
      String here = FieldPath.render(segs.subList(0, i + 1));
      String parent = FieldPath.render(segs.subList(0, i));
      boolean last = i == segs.size() - 1;
      if (seg instanceof Integer idx) {
        if (!(cur instanceof ArrayNode arr)) {
          throw fail(
              here,
              here + " cannot be indexed: " + parent + " is " + kind(cur) + ", not a list",
              file,
              o);
        }
        if (idx >= arr.size()) {
          throw fail(
              here,
              here
                  + " does not exist: "
                  + parent
                  + " has "
                  + arr.size()
                  + (arr.size() == 1 ? " entry" : " entries")
                  + "; an override cannot add list entries",
              file,
              o);
        }
        if (last) {
          arr.set(idx, o.value());
        } else {
          cur = arr.get(idx);
        }
      } else {
        String key = (String) seg;
        if (!(cur instanceof ObjectNode obj)) {
          throw fail(
              here,
              here + " cannot be set: " + parent + " is " + kind(cur) + ", not a mapping",
              file,
              o);
        }
        if (last) {
          obj.set(key, o.value());
        } else {
          JsonNode child = obj.get(key);
          if (child == null || child.isNull()) {
            if (segs.get(i + 1) instanceof Integer) {
              throw fail(
                  FieldPath.render(segs.subList(0, i + 2)),
                  FieldPath.render(segs.subList(0, i + 2))
                      + " does not exist: "
                      + here
                      + " is not in the file; an override cannot add list entries",
                  file,
                  o);
            }
            child = obj.putObject(key);
          }
          cur = child;
        }
      }
    }
  }

  private static ConfigException fail(String field, String detail, String file, Override o) {
    return new ConfigException(field, detail).fromOverride(file, o.text());
  }

  private static String kind(JsonNode n) {
    JsonNodeType t = n.getNodeType();
    return switch (t) {
      case ARRAY -> "a list";
      case OBJECT -> "a mapping";
      case NULL -> "empty";
      default -> "a " + t.name().toLowerCase(Locale.ROOT) + " (" + n.asText() + ")";
    };
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
