package org.taqtir.strategy.response;

/**
 * Independent double-precision reference implementations written straight from the papers' formulas
 * with explicit loops, used as golden values for the NDArray implementations.
 */
final class ReferenceLosses {

  private ReferenceLosses() {}

  static double[] softmax(double[] row, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v / temperature);
    }
    double z = 0;
    double[] p = new double[row.length];
    for (int c = 0; c < row.length; c++) {
      p[c] = Math.exp(row[c] / temperature - max);
      z += p[c];
    }
    for (int c = 0; c < row.length; c++) {
      p[c] /= z;
    }
    return p;
  }

  /** Mean over the batch of -Σ_c y'_c log softmax(s)_c with y' = (1-ε)·onehot + ε/C. */
  static double crossEntropy(double[][] s, int[] labels, double smoothing) {
    double total = 0;
    for (int i = 0; i < s.length; i++) {
      double[] q = softmax(s[i], 1);
      int classes = s[i].length;
      for (int c = 0; c < classes; c++) {
        double target = (c == labels[i] ? 1 - smoothing : 0) + smoothing / classes;
        total -= target * Math.log(q[c]);
      }
    }
    return total / s.length;
  }

  /**
   * Hinton et al. 2015: (1-α)·CE + α·T²·(1/B)·Σ_i KL(p_i ‖ q_i), p = softmax(t/T), q =
   * softmax(s/T).
   */
  static double hintonKd(
      double[][] s, double[][] t, int[] labels, double temperature, double alpha) {
    double kl = 0;
    for (int i = 0; i < s.length; i++) {
      double[] p = softmax(t[i], temperature);
      double[] q = softmax(s[i], temperature);
      for (int c = 0; c < p.length; c++) {
        kl += p[c] * (Math.log(p[c]) - Math.log(q[c]));
      }
    }
    kl /= s.length;
    return (1 - alpha) * crossEntropy(s, labels, 0) + alpha * temperature * temperature * kl;
  }
}
