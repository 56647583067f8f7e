package org.taqtir.api;

/**
 * An allowed numeric interval for a parameter (applies to each element of an {@link
 * ParamType#INT_LIST}).
 *
 * @param min lower bound, {@link Double#NEGATIVE_INFINITY} when unbounded
 * @param minInclusive whether {@code min} itself is allowed
 * @param max upper bound, {@link Double#POSITIVE_INFINITY} when unbounded
 * @param maxInclusive whether {@code max} itself is allowed
 */
public record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {

  /** Any value. */
  public static final Range ANY =
      new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

  /**
   * Values strictly greater than {@code min}.
   *
   * @param min the exclusive lower bound
   * @return the range {@code (min, +inf)}
   */
  public static Range greaterThan(double min) {
    return new Range(min, false, Double.POSITIVE_INFINITY, false);
  }

  /**
   * Values greater than or equal to {@code min}.
   *
   * @param min the inclusive lower bound
   * @return the range {@code [min, +inf)}
   */
  public static Range atLeast(double min) {
    return new Range(min, true, Double.POSITIVE_INFINITY, false);
  }

  /**
   * Values in the closed interval {@code [min, max]}.
   *
   * @param min the inclusive lower bound
   * @param max the inclusive upper bound
   * @return the range {@code [min, max]}
   */
  public static Range closed(double min, double max) {
    return new Range(min, true, max, true);
  }

  /**
   * Tells whether a value lies in this range.
   *
   * @param v the value to test
   * @return {@code true} when {@code v} is allowed; NaN is never allowed
   */
  public boolean contains(double v) {
    if (Double.isNaN(v)) {
      return false;
    }
    boolean lo = minInclusive ? v >= min : v > min;
    boolean hi = maxInclusive ? v <= max : v < max;
    return lo && hi;
  }

  /**
   * Describes the range the way error messages say it, e.g. {@code "> 0"} or {@code "in [0, 1]"}.
   *
   * @return a short human-readable description
   */
  @Override
  public String toString() {
    boolean noMin = min == Double.NEGATIVE_INFINITY;
    boolean noMax = max == Double.POSITIVE_INFINITY;
    if (noMin && noMax) {
      return "any value";
    }
    if (noMax) {
      return (minInclusive ? ">= " : "> ") + num(min);
    }
    if (noMin) {
      return (maxInclusive ? "<= " : "< ") + num(max);
    }
    return "in "
        + (minInclusive ? "[" : "(")
        + num(min)
        + ", "
        + num(max)
        + (maxInclusive ? "]" : ")");
  }

  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
