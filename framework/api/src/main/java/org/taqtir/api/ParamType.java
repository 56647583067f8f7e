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
  INT_LIST("list of integers");

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
