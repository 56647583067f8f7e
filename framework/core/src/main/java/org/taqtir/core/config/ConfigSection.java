package org.taqtir.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.taqtir.api.Range;

/**
 * One block of a study file (e.g. {@code data:}) with what a task needs to read it the way the rest
 * of the study is read: binding to a record with unknown keys rejected, value checks, and errors
 * that name the file, the line (or the {@code -P} override) and the field, e.g. {@code
 * study.yaml:7: data.validation must be >= 1, found 0}.
 *
 * <p>Field names given to the checks are full paths from the top of the study ({@code
 * data.validation}), so messages read the same whichever block a field is in.
 */
public final class ConfigSection {

  private final Located where;
  private final String path;
  private final JsonNode node;

  ConfigSection(Located where, String path, JsonNode node) {
    this.where = where;
    this.path = path;
    this.node = node == null ? MissingNode.getInstance() : node;
  }

  /**
   * Returns the block's path from the top of the study.
   *
   * @return e.g. {@code data}
   */
  public String path() {
    return path;
  }

  /**
   * Returns a block inside this one.
   *
   * @param key the block's key, e.g. {@code data}
   * @return the section (absent when the key is)
   */
  public ConfigSection child(String key) {
    String p = path.isEmpty() ? key : path + "." + key;
    return new ConfigSection(where, p, node.get(key));
  }

  /**
   * Returns the study file's directory, against which relative paths resolve.
   *
   * @return an absolute directory
   */
  public Path baseDir() {
    return where.baseDir();
  }

  /**
   * Returns the name of the study file, for messages.
   *
   * @return e.g. {@code study.yaml}, or {@code <study>} for a study given as text
   */
  public String file() {
    return where.file();
  }

  /**
   * Tells whether the block is absent or empty, so every default applies.
   *
   * @return whether nothing was written
   */
  public boolean absent() {
    return node.isMissingNode() || node.isNull();
  }

  /**
   * Binds the block to a record whose components are the block's keys in camelCase ({@code
   * train_limit} → {@code trainLimit}), each nullable (absent means default). Unknown keys are
   * refused with the list of allowed ones and the closest match.
   *
   * @param type the record type
   * @param <T> the record type
   * @return the bound record, or {@code null} when the block is absent
   * @throws ConfigException when a key is unknown or a value has the wrong type
   */
  public <T> T bind(Class<T> type) {
    if (absent()) {
      return null;
    }
    try {
      return where.binder().treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      String field = path(e);
      Set<String> known = new TreeSet<>();
      e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      throw error(field, field + " " + notKnown(e.getPropertyName(), known));
    } catch (MismatchedInputException e) {
      String field = path(e);
      throw error(
          field,
          field + " must be " + describe(e.getTargetType()) + ", found " + found(field, null));
    } catch (JsonMappingException e) {
      String field = path(e);
      if (e.getCause() instanceof InputCoercionException c) {
        throw error(
            field,
            field + " must be " + describe(c.getTargetType()) + ", found " + found(field, null));
      }
      throw error(field, field + " is invalid: " + Overrides.oneLine(e.getOriginalMessage()));
    } catch (InputCoercionException e) {
      String field = path;
      JsonParser p = e.getProcessor();
      if (p != null && p.getParsingContext() != null) {
        field = pointerToPath(p.getParsingContext().pathAsPointer());
      }
      throw error(
          field,
          field + " must be " + describe(e.getTargetType()) + ", found " + found(field, null));
    } catch (JacksonException e) {
      throw new ConfigException(
          where.file(), 0, "", Overrides.oneLine(e.getOriginalMessage()), null, e);
    }
  }

  /**
   * Returns an error located at a field: the override that set it, else its line (or its nearest
   * written ancestor's).
   *
   * @param field the full path, e.g. {@code data.validation}
   * @param detail the message, naming the field, the value and what is allowed
   * @return the exception, to throw
   */
  public ConfigException error(String field, String detail) {
    return where.locate(new ConfigException(field, detail));
  }

  /**
   * Locates an exception that names its field but not yet its line.
   *
   * @param e the exception
   * @return the located exception
   */
  public ConfigException locate(ConfigException e) {
    return where.locate(e);
  }

  /**
   * Renders the value at a field as written (after overrides), else the fallback, for messages.
   *
   * @param field the full path
   * @param fallback what to show when the field was not written
   * @return the value as text
   */
  public String found(String field, Object fallback) {
    return where.found(field, fallback);
  }

  /**
   * Returns a required value.
   *
   * @param v the value, null when absent
   * @param field the full path
   * @param what what the field is, for the message
   * @return the value
   */
  public String required(String v, String field, String what) {
    if (v == null) {
      throw error(field, field + " is required: " + what);
    }
    return v;
  }

  /**
   * Checks an integer against a range.
   *
   * @param v the value, null when absent
   * @param def the default
   * @param range the allowed values
   * @param field the full path
   * @return the value, or the default
   */
  public int intIn(Integer v, int def, Range range, String field) {
    if (v == null) {
      return def;
    }
    if (!range.contains(v)) {
      throw error(field, field + " must be " + range + ", found " + found(field, v));
    }
    return v;
  }

  /**
   * Checks a number against a range (NaN and infinities are refused).
   *
   * @param v the value, null when absent
   * @param def the default
   * @param range the allowed values
   * @param field the full path
   * @return the value, or the default
   */
  public double dblIn(Double v, double def, Range range, String field) {
    if (v == null) {
      return def;
    }
    if (!Double.isFinite(v)) {
      String allowed = range.equals(Range.ANY) ? "" : " " + range;
      throw error(
          field, field + " must be a finite number" + allowed + ", found " + found(field, v));
    }
    if (!range.contains(v)) {
      throw error(field, field + " must be " + range + ", found " + found(field, v));
    }
    return v;
  }

  /**
   * Checks a string against a list of allowed values.
   *
   * @param v the value, null when absent
   * @param def the default
   * @param allowed the allowed values
   * @param field the full path
   * @return the value, or the default
   */
  public String oneOf(String v, String def, List<String> allowed, String field) {
    if (v == null) {
      return def;
    }
    if (!allowed.contains(v)) {
      throw error(
          field,
          field + " must be one of " + String.join(", ", allowed) + ", found " + found(field, v));
    }
    return v;
  }

  /**
   * Refuses a key that does not belong to the variant chosen (e.g. {@code momentum} for adam).
   *
   * @param v the value, null when absent
   * @param f the parent path
   * @param key the key
   * @param what the variant, e.g. {@code the adam optimizer}
   * @param allowed the keys it does take
   */
  public void notFor(Object v, String f, String key, String what, List<String> allowed) {
    if (v != null) {
      String field = f + "." + key;
      throw error(
          field, field + " is not a field of " + what + "; allowed: " + String.join(", ", allowed));
    }
  }

  /**
   * Reads a path as written.
   *
   * @param text the path text
   * @param field the full path of the field
   * @return the path, as written (relative paths stay relative)
   */
  public Path path(String text, String field) {
    try {
      if (text.isBlank()) {
        throw new InvalidPathException(text, "empty");
      }
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw error(field, field + " must be a file system path, found " + found(field, text));
    }
  }

  /**
   * Resolves a path written in the study against the study file's directory.
   *
   * @param text the path text
   * @param field the full path of the field
   * @return an absolute, normalised path
   */
  public Path resolve(String text, String field) {
    Path written = path(text, field);
    return (written.isAbsolute() ? written : where.baseDir().resolve(written))
        .toAbsolutePath()
        .normalize();
  }

  /**
   * Describes an unknown key with the allowed ones and the closest match.
   *
   * @param key the unknown key
   * @param known the allowed keys
   * @return e.g. {@code is not a known field; allowed: a, b; did you mean 'b'?}
   */
  public static String notKnown(String key, Set<String> known) {
    StringBuilder sb =
        new StringBuilder("is not a known field; allowed: ").append(String.join(", ", known));
    Levenshtein.closest(key, known)
        .ifPresent(c -> sb.append("; did you mean '").append(c).append("'?"));
    return sb.toString();
  }

  private List<Object> segments() {
    return path.isEmpty() ? new ArrayList<>() : new ArrayList<>(FieldPath.parse(path));
  }

  private String path(JsonMappingException e) {
    List<Object> segs = segments();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        segs.add(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        segs.add(r.getIndex());
      }
    }
    return FieldPath.render(segs);
  }

  private String pointerToPath(JsonPointer ptr) {
    List<Object> segs = segments();
    for (JsonPointer p = ptr; p != null && !p.matches(); p = p.tail()) {
      segs.add(p.mayMatchElement() ? (Object) p.getMatchingIndex() : p.getMatchingProperty());
    }
    return FieldPath.render(segs);
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping";
  }

  /** Where a parse is: the file, its lines, the overrides, the tree, the base directory. */
  record Located(
      String file,
      LineMap lines,
      List<Overrides.Override> overrides,
      JsonNode tree,
      Path baseDir,
      ObjectMapper binder,
      ObjectMapper plain) {

    String found(String field, Object fallback) {
      if (overrides.stream().noneMatch(o -> FieldPath.within(field, o.path()))
          && lines.nonFinite(field) != null) {
        return lines.nonFinite(field);
      }
      List<Object> segs = field.isEmpty() ? List.of() : FieldPath.parse(field);
      JsonNode n = tree;
      if (segs != null) {
        for (Object s : segs) {
          n = n == null ? null : s instanceof Integer i ? n.get(i) : n.get((String) s);
        }
      }
      Object v = n != null && segs != null ? plain.convertValue(n, Object.class) : fallback;
      return ConfigException.show(v);
    }

    /**
     * Blames the override that set the field (or a value above it); else the field's line, or its
     * nearest written ancestor's; an override that created the field when the file lacks it.
     */
    ConfigException locate(ConfigException e) {
      String field = e.field();
      for (int i = overrides.size() - 1; i >= 0; i--) {
        if (FieldPath.within(field, overrides.get(i).path())) {
          return e.fromOverride(file, overrides.get(i).text());
        }
      }
      if (lines.exact(field) == 0 && !field.isEmpty()) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
          if (FieldPath.within(overrides.get(i).path(), field)) {
            return e.fromOverride(file, overrides.get(i).text());
          }
        }
      }
      return e.at(file, lines.nearest(field));
    }
  }
}
