package org.taqtir.core.eval.loss;

import java.util.Arrays;

/**
 * A metric over seeds: mean, sample standard deviation (n-1; NaN for one seed) and count.
 *
 * @param mean the mean over seeds
 * @param std the sample standard deviation, NaN when {@code n < 2}
 * @param n the number of seeds
 */
public record Summary(double mean, double std, int n) {

  /**
   * Summarises values; NaN values are skipped.
   *
   * @param values one value per seed
   * @return the summary; mean NaN when no value is finite
   */
  public static Summary of(double... values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
    if (v.length == 0) {
      return new Summary(Double.NaN, Double.NaN, 0);
    }
    double mean = Arrays.stream(v).sum() / v.length;
    if (v.length < 2) {
      return new Summary(mean, Double.NaN, 1);
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return new Summary(mean, Math.sqrt(ss / (v.length - 1)), v.length);
  }
}
