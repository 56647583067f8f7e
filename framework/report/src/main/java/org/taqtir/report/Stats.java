package org.taqtir.report;

import java.util.Arrays;

/** Summary statistics over seeds. */
public final class Stats {

  private Stats() {}

  /**
   * Returns the arithmetic mean.
   *
   * @param v the values
   * @return the mean, NaN when empty
   */
  public static double mean(double[] v) {
    return v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
  }

  /**
   * Returns the sample standard deviation (n-1 denominator).
   *
   * @param v the values
   * @return the standard deviation, NaN for fewer than two values
   */
  public static double std(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double m = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (v.length - 1));
  }

  /**
   * Returns the median.
   *
   * @param v the values
   * @return the median, NaN when empty
   */
  public static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int mid = s.length / 2;
    return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  }
}
