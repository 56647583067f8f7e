package org.taqtir.api;

/** The type of a plugin parameter, as written in a study file. */
public enum ParamType {
  /** A floating-point number. */
  DOUBLE("number"),
  /** A whole number. */
  INT("integer"),
  /** {@code true} or {@code false}. */
  BOOLEAN("boolean"),
  /** A string, optionally restricted to a set of choices. */
  STRING("string"),
  /** A list of whole numbers, e.g. layer widths {@code [1200, 1200]}. */
  INT_LIST("list of integers"),
  /** A list of numbers, e.g. ensemble weights {@code [0.7, 0.3]}. */
  DOUBLE_LIST("list of numbers"),
  /**
   * A list of other plugins of the same kind, each {@code {id: ..., params: {...}}} (or just the
   * id), e.g. the members of an ensemble teacher; values are {@link PluginCall}s whose parameters
   * the plugin validates through the core (e.g. {@link TeacherContext#teacher}).
   */
  PLUGIN_LIST("list of {id, params}");

  private final String display;

  ParamType(String display) {
    this.display = display;
  }

  /**
   * Returns the name used in error messages and {@code taqtir describe}.
   *
   * @return e.g. {@code "number"}
   */
  public String display() {
    return display;
  }
}
