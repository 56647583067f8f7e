package org.taqtir.core.eval.loss;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Group-disparity metrics for data with a group column (e.g. a sensitive attribute of a table).
 *
 * <p>With {@code ŷ} the predicted class, {@code y} the true class and {@code g} the group:
 *
 * <ul>
 *   <li><b>per-group accuracy</b> {@code P(ŷ = y | g)};
 *   <li><b>demographic-parity gap</b> (Calders &amp; Verwer 2010; Dwork et al. 2012): {@code max_c
 *       [max_g P(ŷ = c | g) − min_g P(ŷ = c | g)]}. For two classes both classes give the same gap,
 *       which is the usual positive-class gap; for more classes it is the worst class;
 *   <li><b>equalised-odds gap</b> (Hardt, Price, Srebro 2016), one-vs-rest per class: {@code max_c
 *       max(max_g TPR_g(c) − min_g TPR_g(c), max_g FPR_g(c) − min_g FPR_g(c))} with {@code TPR_g(c)
 *       = P(ŷ = c | y = c, g)} and {@code FPR_g(c) = P(ŷ = c | y ≠ c, g)}; a group with no sample
 *       of {@code y = c} (or of {@code y ≠ c}) is left out of that rate's gap.
 * </ul>
 *
 * Groups with no sample at all are left out everywhere.
 */
public final class GroupDisparity {

  private GroupDisparity() {}

  /**
   * The test split's groups.
   *
   * @param groups one group index per test sample
   * @param names group names by index
   */
  public record Groups(int[] groups, List<String> names) {

    /** Copies the names and checks for {@code null}. */
    public Groups {
      Objects.requireNonNull(groups, "groups");
      names = List.copyOf(names);
    }
  }

  /**
   * The disparity of one model's predictions.
   *
   * @param groupAccuracy accuracy per group index (NaN for an empty group)
   * @param positiveRate {@code [group][class]} = {@code P(ŷ = c | g)}
   * @param demographicParityGap the demographic-parity gap
   * @param demographicParityClass the class where that gap is largest
   * @param equalisedOddsGap the equalised-odds gap
   * @param equalisedOddsClass the class where that gap is largest
   */
  public record Result(
      double[] groupAccuracy,
      double[][] positiveRate,
      double demographicParityGap,
      int demographicParityClass,
      double equalisedOddsGap,
      int equalisedOddsClass) {

    /**
     * Returns the largest minus the smallest group accuracy.
     *
     * @return the accuracy gap
     */
    public double accuracyGap() {
      return spread(groupAccuracy);
    }

    /**
     * Returns the lowest group accuracy.
     *
     * @return the worst group's accuracy
     */
    public double worstGroupAccuracy() {
      double min = Double.POSITIVE_INFINITY;
      for (double a : groupAccuracy) {
        if (!Double.isNaN(a)) {
          min = Math.min(min, a);
        }
      }
      return min;
    }

    /**
     * Puts this result's metrics into a metric map: {@code group.<name>.acc}, {@code
     * group_acc_gap}, {@code worst_group_acc}, {@code dp_gap}, {@code eo_gap}.
     *
     * @param m the map
     * @param names group names by index
     */
    public void putInto(Map<String, Double> m, List<String> names) {
      for (int g = 0; g < groupAccuracy.length; g++) {
        if (!Double.isNaN(groupAccuracy[g])) {
          m.put("group." + names.get(g) + ".acc", groupAccuracy[g]);
        }
      }
      m.put("group_acc_gap", accuracyGap());
      m.put("worst_group_acc", worstGroupAccuracy());
      m.put("dp_gap", demographicParityGap);
      m.put("eo_gap", equalisedOddsGap);
    }
  }

  /**
   * Computes the disparity of predictions.
   *
   * @param predicted the predicted class per sample
   * @param labels the true class per sample
   * @param groups the group index per sample
   * @param numGroups number of groups
   * @param classes number of classes
   * @return the metrics
   * @throws IllegalArgumentException when the lengths disagree
   */
  public static Result of(int[] predicted, int[] labels, int[] groups, int numGroups, int classes) {
    if (predicted.length != labels.length || groups.length != labels.length) {
      throw new IllegalArgumentException(
          "predictions, labels and groups differ in length: "
              + predicted.length
              + ", "
              + labels.length
              + ", "
              + groups.length);
    }
    int[] n = new int[numGroups];
    int[] correct = new int[numGroups];
    int[][] predictedAs = new int[numGroups][classes];
    int[][] ofClass = new int[numGroups][classes];
    int[][] truePos = new int[numGroups][classes];
    for (int i = 0; i < labels.length; i++) {
      int g = groups[i];
      n[g]++;
      predictedAs[g][predicted[i]]++;
      ofClass[g][labels[i]]++;
      if (predicted[i] == labels[i]) {
        correct[g]++;
        truePos[g][labels[i]]++;
      }
    }
    double[] acc = new double[numGroups];
    double[][] rate = new double[numGroups][classes];
    for (int g = 0; g < numGroups; g++) {
      acc[g] = n[g] == 0 ? Double.NaN : (double) correct[g] / n[g];
      for (int c = 0; c < classes; c++) {
        rate[g][c] = n[g] == 0 ? Double.NaN : (double) predictedAs[g][c] / n[g];
      }
    }
    double dp = 0;
    int dpClass = 0;
    double eo = 0;
    int eoClass = 0;
    for (int c = 0; c < classes; c++) {
      double[] pr = new double[numGroups];
      double[] tpr = new double[numGroups];
      double[] fpr = new double[numGroups];
      for (int g = 0; g < numGroups; g++) {
        pr[g] = rate[g][c];
        int pos = ofClass[g][c];
        int neg = n[g] - pos;
        int fp = predictedAs[g][c] - truePos[g][c];
        tpr[g] = pos == 0 ? Double.NaN : (double) truePos[g][c] / pos;
        fpr[g] = neg == 0 ? Double.NaN : (double) fp / neg;
      }
      double d = spread(pr);
      if (d > dp) {
        dp = d;
        dpClass = c;
      }
      double e = Math.max(spread(tpr), spread(fpr));
      if (e > eo) {
        eo = e;
        eoClass = c;
      }
    }
    return new Result(acc, rate, dp, dpClass, eo, eoClass);
  }

  /** Max minus min over the non-NaN values; 0 when fewer than two. */
  static double spread(double[] v) {
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    int k = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        max = Math.max(max, x);
        min = Math.min(min, x);
        k++;
      }
    }
    return k < 2 ? 0 : max - min;
  }
}
