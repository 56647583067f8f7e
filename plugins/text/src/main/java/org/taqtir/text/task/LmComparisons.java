package org.taqtir.text.task;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Paired comparisons between language models on the same test windows: the difference in bits per
 * character with a 95 % paired bootstrap interval, and churn between seeds.
 *
 * <p>The bootstrap resamples whole windows (positions within a window share their context, so they
 * are not independent draws), the same windows for both models and for every seed pair; each
 * resample's statistic is the mean over seed pairs of Δ bits per character, and the interval is its
 * 2.5th to 97.5th percentile. A difference counts only when the interval excludes zero, as for
 * classifiers (docs/evaluation.md).
 */
final class LmComparisons {

  /** Bootstrap resamples. */
  static final int RESAMPLES = 1000;

  /** The resampling seed: the same windows are drawn for every comparison of a study. */
  static final long SEED = 20150309L;

  private LmComparisons() {}

  /**
   * A paired difference a − b.
   *
   * @param mean mean over seed pairs of Δ bits per character
   * @param std standard deviation over seed pairs (NaN for one pair)
   * @param lo 2.5th percentile of the bootstrap
   * @param hi 97.5th percentile of the bootstrap
   */
  record Delta(double mean, double std, double lo, double hi) {}

  /**
   * Δ bits per character of a against b, paired seed by seed (pair i is a[i] with b[i]); a single b
   * (the teacher) is paired with every a.
   *
   * @param a one detail per seed
   * @param b as many details, or one
   * @return the difference, or null when the two were not scored on the same windows (another
   *     tokenizer)
   */
  static Delta delta(List<LmOutputs.Detail> a, List<LmOutputs.Detail> b) {
    if (a.isEmpty() || b.isEmpty() || (b.size() != 1 && b.size() != a.size())) {
      return null;
    }
    int windows = a.get(0).windowNll().length;
    double cpt = a.get(0).charsPerToken();
    for (LmOutputs.Detail d : a) {
      if (d.windowNll().length != windows || d.charsPerToken() != cpt) {
        return null;
      }
    }
    for (LmOutputs.Detail d : b) {
      if (d.windowNll().length != windows || d.charsPerToken() != cpt) {
        return null;
      }
    }
    if (windows == 0) {
      return null;
    }
    int tokensPerWindow = a.get(0).argmax().length / windows;
    double toBpc = 1 / (tokensPerWindow * cpt * Math.log(2));
    int pairs = a.size();
    // per pair and window, the difference in summed negative log-likelihood
    double[][] diff = new double[pairs][windows];
    double[] perPair = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      double[] x = a.get(i).windowNll();
      double[] y = b.get(b.size() == 1 ? 0 : i).windowNll();
      double s = 0;
      for (int w = 0; w < windows; w++) {
        diff[i][w] = x[w] - y[w];
        s += diff[i][w];
      }
      perPair[i] = s / windows * toBpc;
    }
    SplittableRandom rng = new SplittableRandom(SEED);
    double[] stats = new double[RESAMPLES];
    int[] draw = new int[windows];
    for (int r = 0; r < RESAMPLES; r++) {
      for (int w = 0; w < windows; w++) {
        draw[w] = rng.nextInt(windows);
      }
      double sum = 0;
      for (int i = 0; i < pairs; i++) {
        double s = 0;
        for (int w : draw) {
          s += diff[i][w];
        }
        sum += s / windows * toBpc;
      }
      stats[r] = sum / pairs;
    }
    Arrays.sort(stats);
    return new Delta(
        LmReport.mean(perPair),
        LmReport.std(perPair),
        stats[(int) Math.floor(0.025 * (RESAMPLES - 1))],
        stats[(int) Math.ceil(0.975 * (RESAMPLES - 1))]);
  }

  /**
   * Churn between seeds: the share of test positions whose most likely token differs between two
   * runs of the same model and method, averaged over every pair of seeds.
   *
   * @param runs one detail per seed
   * @return the churn, NaN with fewer than two seeds
   */
  static double churn(List<LmOutputs.Detail> runs) {
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < runs.size(); i++) {
      for (int j = i + 1; j < runs.size(); j++) {
        int[] x = runs.get(i).argmax();
        int[] y = runs.get(j).argmax();
        if (x.length != y.length || x.length == 0) {
          continue;
        }
        long differ = 0;
        for (int p = 0; p < x.length; p++) {
          differ += x[p] != y[p] ? 1 : 0;
        }
        sum += (double) differ / x.length;
        pairs++;
      }
    }
    return pairs == 0 ? Double.NaN : sum / pairs;
  }
}
