package org.taqtir.core.eval.loss;

/**
 * A paired comparison of two methods of the same student across seeds: per seed, acc(a) − acc(b) on
 * the same test samples, summarised over seeds, with a percentile bootstrap 95 % interval that
 * resamples test samples and keeps the seed pairing ({@link LossMetrics#accuracyDelta}).
 *
 * @param student the student's name
 * @param a the first method
 * @param b the second method
 * @param delta acc(a) − acc(b), one value per seed pair
 * @param lo 2.5th percentile of the bootstrap of the mean Δ
 * @param hi 97.5th percentile
 */
public record Comparison(String student, String a, String b, Summary delta, double lo, double hi) {

  /**
   * The verdict of the interval.
   *
   * @return {@code "a better"}, {@code "b better"} or {@code "no significant difference"} with the
   *     methods' names
   */
  public String verdict() {
    if (lo > 0) {
      return a + " better";
    }
    if (hi < 0) {
      return b + " better";
    }
    return "no significant difference";
  }
}
