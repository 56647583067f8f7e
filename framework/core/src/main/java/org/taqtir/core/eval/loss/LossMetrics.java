package org.taqtir.core.eval.loss;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The metrics of the "what did we lose" evaluation, each computed here and nowhere else. Inputs are
 * {@link Predictions} and label arrays; every method documents its formula and source.
 */
public final class LossMetrics {

  /** Number of equal-width confidence bins of ECE and MCE (Guo et al. 2017). */
  public static final int BINS = 15;

  private LossMetrics() {}

  /**
   * Top-k accuracy.
   *
   * @param p predictions
   * @param labels true classes
   * @param k how many of the highest-probability classes count
   * @return the fraction of samples whose label is among their k most probable classes
   */
  public static double topK(Predictions p, int[] labels, int k) {
    int hits = 0;
    int c = p.classes();
    for (int i = 0; i < labels.length; i++) {
      double pl = p.probs()[i * c + labels[i]];
      int higher = 0;
      for (int j = 0; j < c; j++) {
        double pj = p.probs()[i * c + j];
        if (pj > pl || (pj == pl && j < labels[i])) {
          higher++;
        }
      }
      if (higher < k) {
        hits++;
      }
    }
    return (double) hits / labels.length;
  }

  /**
   * Top-1 agreement between two models (Stanton et al. 2021).
   *
   * @param a first model
   * @param b second model
   * @return the fraction of samples with the same predicted class
   */
  public static double agreement(Predictions a, Predictions b) {
    int same = 0;
    for (int i = 0; i < a.size(); i++) {
      if (a.argmax()[i] == b.argmax()[i]) {
        same++;
      }
    }
    return (double) same / a.size();
  }

  /**
   * Mean predictive KL divergence KL(teacher ‖ student) in nats (Stanton et al. 2021).
   *
   * @param teacher the teacher's predictions
   * @param student the student's predictions
   * @return 1/N Σ_i Σ_c p_t log(p_t / p_s), terms with p_t = 0 contributing 0
   */
  public static double kl(Predictions teacher, Predictions student) {
    double s = 0;
    double[] pt = teacher.probs();
    double[] ps = student.probs();
    for (int i = 0; i < pt.length; i++) {
      if (pt[i] > 0) {
        s += pt[i] * (Math.log(pt[i]) - Math.log(Math.max(ps[i], 1e-300)));
      }
    }
    return s / teacher.size();
  }

  /**
   * Calibration of a model (Guo et al. 2017): 15 equal-width confidence bins (0, 1/15], ...,
   * (14/15, 1].
   *
   * @param ece Σ_b |B_b|/N · |acc(B_b) − conf(B_b)|
   * @param mce max_b |acc(B_b) − conf(B_b)| over non-empty bins
   * @param nll mean −log p(label)
   * @param brier mean Σ_c (p_c − y_c)²
   * @param overconfidence Σ_b |B_b|/N · max(0, conf − acc): the over-confident part of ECE
   * @param binConfidence mean confidence per bin (NaN when empty)
   * @param binAccuracy accuracy per bin (NaN when empty)
   * @param binCount samples per bin
   */
  public record Calibration(
      double ece,
      double mce,
      double nll,
      double brier,
      double overconfidence,
      double[] binConfidence,
      double[] binAccuracy,
      int[] binCount) {

    /**
     * The under-confident part of ECE: Σ_b |B_b|/N · max(0, acc − conf), so that {@code ece =
     * overconfidence + underconfidence}.
     *
     * @return ECE minus its over-confident part
     */
    public double underconfidence() {
      return ece - overconfidence;
    }
  }

  /**
   * Computes calibration metrics.
   *
   * @param p predictions
   * @param labels true classes
   * @return the metrics
   */
  public static Calibration calibration(Predictions p, int[] labels) {
    int n = labels.length;
    int c = p.classes();
    double[] conf = new double[BINS];
    double[] acc = new double[BINS];
    int[] count = new int[BINS];
    double nll = 0;
    double brier = 0;
    for (int i = 0; i < n; i++) {
      double k = p.confidence(i);
      int b = Math.min(BINS - 1, Math.max(0, (int) Math.ceil(k * BINS) - 1));
      count[b]++;
      conf[b] += k;
      acc[b] += p.argmax()[i] == labels[i] ? 1 : 0;
      nll -= Math.log(Math.max(p.probs()[i * c + labels[i]], 1e-300));
      for (int j = 0; j < c; j++) {
        double d = p.probs()[i * c + j] - (j == labels[i] ? 1 : 0);
        brier += d * d;
      }
    }
    double ece = 0;
    double mce = 0;
    double over = 0;
    for (int b = 0; b < BINS; b++) {
      if (count[b] == 0) {
        conf[b] = Double.NaN;
        acc[b] = Double.NaN;
        continue;
      }
      conf[b] /= count[b];
      acc[b] /= count[b];
      double gap = Math.abs(acc[b] - conf[b]);
      ece += gap * count[b] / n;
      mce = Math.max(mce, gap);
      over += Math.max(0, conf[b] - acc[b]) * count[b] / n;
    }
    return new Calibration(ece, mce, nll / n, brier / n, over, conf, acc, count);
  }

  /**
   * Fits the temperature scaling baseline (Guo et al. 2017): the single T minimising validation
   * NLL, by golden-section search on log T over [1/20, 20] to a relative tolerance of 1e-4.
   *
   * @param valLogits validation logits
   * @param labels validation labels
   * @param classes number of classes
   * @return the fitted temperature
   */
  public static double fitTemperature(float[] valLogits, int[] labels, int classes) {
    double lo = Math.log(0.05);
    double hi = Math.log(20);
    double g = (Math.sqrt(5) - 1) / 2;
    double a = hi - g * (hi - lo);
    double b = lo + g * (hi - lo);
    double fa = nllAt(valLogits, labels, classes, Math.exp(a));
    double fb = nllAt(valLogits, labels, classes, Math.exp(b));
    while (hi - lo > 1e-4) {
      if (fa < fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - g * (hi - lo);
        fa = nllAt(valLogits, labels, classes, Math.exp(a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + g * (hi - lo);
        fb = nllAt(valLogits, labels, classes, Math.exp(b));
      }
    }
    return Math.exp((lo + hi) / 2);
  }

  private static double nllAt(float[] logits, int[] labels, int classes, double t) {
    return calibration(Predictions.of(logits, classes, t), labels).nll();
  }

  /**
   * Per-class accuracy.
   *
   * @param p predictions
   * @param labels true classes
   * @return accuracy per class, NaN for a class absent from {@code labels}
   */
  public static double[] perClassAccuracy(Predictions p, int[] labels) {
    double[] hit = new double[p.classes()];
    double[] n = new double[p.classes()];
    for (int i = 0; i < labels.length; i++) {
      n[labels[i]]++;
      if (p.argmax()[i] == labels[i]) {
        hit[labels[i]]++;
      }
    }
    for (int c = 0; c < hit.length; c++) {
      hit[c] = n[c] == 0 ? Double.NaN : hit[c] / n[c];
    }
    return hit;
  }

  /**
   * Per-class accuracy change of a student against a baseline, paired over seeds and samples, with
   * a percentile bootstrap 95 % interval: each resample draws the class's test samples with
   * replacement and averages, over seed pairs, correct(student) − correct(baseline).
   *
   * @param delta mean Δ accuracy per class
   * @param lo 2.5th percentile per class
   * @param hi 97.5th percentile per class
   */
  public record ClassDelta(double[] delta, double[] lo, double[] hi) {

    /**
     * Counts the classes whose whole interval lies below zero.
     *
     * @return the number of classes significantly harmed
     */
    public int harmed() {
      int h = 0;
      for (double v : hi) {
        if (v < 0) {
          h++;
        }
      }
      return h;
    }
  }

  /**
   * Computes per-class Δ with bootstrap intervals.
   *
   * @param students the student's predictions, one per seed
   * @param baselines the baseline's predictions, one per seed, paired with {@code students}
   * @param labels true classes
   * @param resamples bootstrap resamples
   * @param seed bootstrap seed
   * @return Δ and its interval per class
   */
  public static ClassDelta classDelta(
      Predictions[] students, Predictions[] baselines, int[] labels, int resamples, long seed) {
    int classes = students[0].classes();
    int n = labels.length;
    double[] diff = new double[n];
    for (int s = 0; s < students.length; s++) {
      for (int i = 0; i < n; i++) {
        diff[i] +=
            ((students[s].argmax()[i] == labels[i] ? 1 : 0)
                    - (baselines[s].argmax()[i] == labels[i] ? 1 : 0))
                / (double) students.length;
      }
    }
    double[] delta = new double[classes];
    double[] lo = new double[classes];
    double[] hi = new double[classes];
    SplittableRandom random = new SplittableRandom(seed);
    for (int c = 0; c < classes; c++) {
      int cls = c;
      int[] idx = java.util.stream.IntStream.range(0, n).filter(i -> labels[i] == cls).toArray();
      if (idx.length == 0) {
        delta[c] = lo[c] = hi[c] = Double.NaN;
        continue;
      }
      double sum = 0;
      for (int i : idx) {
        sum += diff[i];
      }
      delta[c] = sum / idx.length;
      double[] boot = new double[resamples];
      for (int r = 0; r < resamples; r++) {
        double s = 0;
        for (int k = 0; k < idx.length; k++) {
          s += diff[idx[random.nextInt(idx.length)]];
        }
        boot[r] = s / idx.length;
      }
      Arrays.sort(boot);
      lo[c] = boot[(int) Math.floor(0.025 * (resamples - 1))];
      hi[c] = boot[(int) Math.ceil(0.975 * (resamples - 1))];
    }
    return new ClassDelta(delta, lo, hi);
  }

  /**
   * A paired difference with its percentile bootstrap 95 % interval.
   *
   * @param delta the mean difference
   * @param lo 2.5th percentile
   * @param hi 97.5th percentile
   */
  public record Interval(double delta, double lo, double hi) {}

  /**
   * Paired accuracy comparison of two methods across seeds: Δ = mean over seed pairs of acc(a) −
   * acc(b), with a percentile bootstrap 95 % interval that resamples the test samples (the same
   * resample for every seed pair, so the pairing by sample and by seed is kept).
   *
   * @param a the first method's predictions, one per seed
   * @param b the second method's predictions, paired by seed with {@code a}
   * @param labels true classes
   * @param resamples bootstrap resamples
   * @param seed bootstrap seed
   * @return Δ accuracy and its interval
   */
  public static Interval accuracyDelta(
      Predictions[] a, Predictions[] b, int[] labels, int resamples, long seed) {
    int n = labels.length;
    double[] diff = new double[n];
    double sum = 0;
    for (int s = 0; s < a.length; s++) {
      for (int i = 0; i < n; i++) {
        double d =
            ((a[s].argmax()[i] == labels[i] ? 1 : 0) - (b[s].argmax()[i] == labels[i] ? 1 : 0))
                / (double) a.length;
        diff[i] += d;
        sum += d;
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] boot = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double t = 0;
      for (int k = 0; k < n; k++) {
        t += diff[random.nextInt(n)];
      }
      boot[r] = t / n;
    }
    Arrays.sort(boot);
    return new Interval(
        sum / n,
        boot[(int) Math.floor(0.025 * (resamples - 1))],
        boot[(int) Math.ceil(0.975 * (resamples - 1))]);
  }

  /**
   * A conditional probability with its counts.
   *
   * @param value numerator / denominator, NaN when the denominator is 0
   * @param numerator count of the event
   * @param denominator count of the condition
   */
  public record Rate(double value, int numerator, int denominator) {
    static Rate of(int num, int den) {
      return new Rate(den == 0 ? Double.NaN : (double) num / den, num, den);
    }
  }

  /**
   * Inherited errors: P(student predicts the teacher's wrong class | teacher wrong).
   *
   * @param student the student
   * @param teacher the teacher
   * @param labels true classes
   * @return the rate with its counts
   */
  public static Rate inheritedErrors(Predictions student, Predictions teacher, int[] labels) {
    int num = 0;
    int den = 0;
    for (int i = 0; i < labels.length; i++) {
      if (teacher.argmax()[i] != labels[i]) {
        den++;
        if (student.argmax()[i] == teacher.argmax()[i]) {
          num++;
        }
      }
    }
    return Rate.of(num, den);
  }

  /**
   * Negative transfer: P(student wrong | teacher wrong, baseline right).
   *
   * @param student the student
   * @param teacher the teacher
   * @param baseline the label-only baseline of the same architecture and seed
   * @param labels true classes
   * @return the rate with its counts
   */
  public static Rate negativeTransfer(
      Predictions student, Predictions teacher, Predictions baseline, int[] labels) {
    int num = 0;
    int den = 0;
    for (int i = 0; i < labels.length; i++) {
      if (teacher.argmax()[i] != labels[i] && baseline.argmax()[i] == labels[i]) {
        den++;
        if (student.argmax()[i] != labels[i]) {
          num++;
        }
      }
    }
    return Rate.of(num, den);
  }

  /**
   * Positive transfer: P(student right | teacher right, baseline wrong).
   *
   * @param student the student
   * @param teacher the teacher
   * @param baseline the label-only baseline of the same architecture and seed
   * @param labels true classes
   * @return the rate with its counts
   */
  public static Rate positiveTransfer(
      Predictions student, Predictions teacher, Predictions baseline, int[] labels) {
    int num = 0;
    int den = 0;
    for (int i = 0; i < labels.length; i++) {
      if (teacher.argmax()[i] == labels[i] && baseline.argmax()[i] != labels[i]) {
        den++;
        if (student.argmax()[i] == labels[i]) {
          num++;
        }
      }
    }
    return Rate.of(num, den);
  }
}
