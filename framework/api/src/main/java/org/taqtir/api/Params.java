package org.taqtir.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolved, validated parameter values of one plugin instance: every parameter of its {@link
 * ParamSpec} is present, defaults filled in, values already of the declared Java type.
 *
 * @param values parameter name to value ({@code Double}, {@code Integer}, {@code Boolean}, {@code
 *     String}, {@code List<Integer>}, {@code List<Double>} or {@code List<PluginCall>})
 */
public record Params(Map<String, Object> values) {

  /** Copies the map, keeping its order. */
  public Params {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * Returns a number parameter.
   *
   * @param name the parameter key
   * @return its value
   * @throws IllegalStateException when absent (a plugin asked for a parameter it did not declare)
   */
  public double getDouble(String name) {
    return ((Number) get(name)).doubleValue();
  }

  /**
   * Returns an integer parameter.
   *
   * @param name the parameter key
   * @return its value
   */
  public int getInt(String name) {
    return ((Number) get(name)).intValue();
  }

  /**
   * Returns a boolean parameter.
   *
   * @param name the parameter key
   * @return its value
   */
  public boolean getBoolean(String name) {
    return (Boolean) get(name);
  }

  /**
   * Returns a string parameter.
   *
   * @param name the parameter key
   * @return its value
   */
  public String getString(String name) {
    return (String) get(name);
  }

  /**
   * Returns a list-of-integers parameter.
   *
   * @param name the parameter key
   * @return an unmodifiable list
   */
  @SuppressWarnings("unchecked")
  public List<Integer> getIntList(String name) {
    return List.copyOf((List<Integer>) get(name));
  }

  /**
   * Returns a list-of-numbers parameter.
   *
   * @param name the parameter key
   * @return an unmodifiable list
   */
  @SuppressWarnings("unchecked")
  public List<Double> getDoubleList(String name) {
    return List.copyOf((List<Double>) get(name));
  }

  /**
   * Returns a list-of-plugins parameter.
   *
   * @param name the parameter key
   * @return an unmodifiable list
   */
  @SuppressWarnings("unchecked")
  public List<PluginCall> getPluginList(String name) {
    return List.copyOf((List<PluginCall>) get(name));
  }

  private Object get(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalStateException("no parameter '" + name + "' in " + values.keySet());
    }
    return v;
  }
}
