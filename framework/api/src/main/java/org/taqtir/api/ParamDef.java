package org.taqtir.api;

import java.util.List;
import java.util.Objects;

/**
 * One typed parameter of a plugin: name, type, default, allowed values and a one-line doc.
 *
 * @param name the key used in the study file, {@code [a-z][a-z0-9_]*}
 * @param type the value type
 * @param defaultValue the default, already of the Java type {@link #type()} maps to ({@code
 *     Double}, {@code Integer}, {@code Boolean}, {@code String}, {@code List<Integer>}, {@code
 *     List<Double>}, {@code List<PluginCall>}); never {@code null}
 * @param range the allowed numeric range (numbers, and each element of an int list)
 * @param choices the allowed values of a {@link ParamType#STRING}; empty means any string
 * @param doc a one-line explanation shown by {@code taqtir describe}
 */
public record ParamDef(
    String name,
    ParamType type,
    Object defaultValue,
    Range range,
    List<String> choices,
    String doc) {

  /** Validates the record and copies the choices. */
  public ParamDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue of " + name);
    range = range == null ? Range.ANY : range;
    choices = choices == null ? List.of() : List.copyOf(choices);
    doc = doc == null ? "" : doc;
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "parameter name must match [a-z][a-z0-9_]*, found " + name);
    }
  }

  /**
   * A floating-point parameter.
   *
   * @param name the parameter key
   * @param def the default value
   * @param range the allowed range
   * @param doc one-line explanation
   * @return the definition
   */
  public static ParamDef ofDouble(String name, double def, Range range, String doc) {
    return new ParamDef(name, ParamType.DOUBLE, def, range, List.of(), doc);
  }

  /**
   * An integer parameter.
   *
   * @param name the parameter key
   * @param def the default value
   * @param range the allowed range
   * @param doc one-line explanation
   * @return the definition
   */
  public static ParamDef ofInt(String name, int def, Range range, String doc) {
    return new ParamDef(name, ParamType.INT, def, range, List.of(), doc);
  }

  /**
   * A boolean parameter.
   *
   * @param name the parameter key
   * @param def the default value
   * @param doc one-line explanation
   * @return the definition
   */
  public static ParamDef ofBoolean(String name, boolean def, String doc) {
    return new ParamDef(name, ParamType.BOOLEAN, def, Range.ANY, List.of(), doc);
  }

  /**
   * A string parameter restricted to {@code choices} (any string when empty).
   *
   * @param name the parameter key
   * @param def the default value
   * @param choices the allowed values
   * @param doc one-line explanation
   * @return the definition
   */
  public static ParamDef ofChoice(String name, String def, List<String> choices, String doc) {
    return new ParamDef(name, ParamType.STRING, def, Range.ANY, choices, doc);
  }

  /**
   * A list-of-integers parameter whose elements must lie in {@code range}.
   *
   * @param name the parameter key
   * @param def the default value
   * @param range the allowed range of each element
   * @param doc one-line explanation
   * @return the definition
   */
  public static ParamDef ofIntList(String name, List<Integer> def, Range range, String doc) {
    return new ParamDef(name, ParamType.INT_LIST, List.copyOf(def), range, List.of(), doc);
  }

  /**
   * A list-of-numbers parameter whose elements must lie in {@code range}.
   *
   * @param name the parameter key
   * @param def the default value
   * @param range the allowed range of each element
   * @param doc one-line explanation
   * @return the definition
   */
  public static ParamDef ofDoubleList(String name, List<Double> def, Range range, String doc) {
    return new ParamDef(name, ParamType.DOUBLE_LIST, List.copyOf(def), range, List.of(), doc);
  }

  /**
   * A list of other plugins, each written {@code {id: ..., params: {...}}} or as a bare id; the
   * default is the empty list.
   *
   * @param name the parameter key
   * @param doc one-line explanation
   * @return the definition
   */
  public static ParamDef ofPluginList(String name, String doc) {
    return new ParamDef(name, ParamType.PLUGIN_LIST, List.of(), Range.ANY, List.of(), doc);
  }

  /**
   * Describes what values are allowed, for error messages: e.g. {@code "a number > 0"}.
   *
   * @return a short description of the allowed values
   */
  public String allowed() {
    return switch (type) {
      case BOOLEAN -> "true or false";
      case STRING -> choices.isEmpty() ? "a string" : "one of " + String.join(", ", choices);
      case INT_LIST -> "a list of integers" + (range == Range.ANY ? "" : ", each " + range);
      case DOUBLE_LIST -> "a list of numbers" + (range == Range.ANY ? "" : ", each " + range);
      case PLUGIN_LIST -> "a list of {id: ..., params: {...}}";
      default ->
          "a"
              + (type == ParamType.INT ? "n " : " ")
              + type.display()
              + (range == Range.ANY ? "" : " " + range);
    };
  }
}
