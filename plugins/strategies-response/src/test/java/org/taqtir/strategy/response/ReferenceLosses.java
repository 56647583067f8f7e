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

  static double kl(double[] p, double[] q) {
    double s = 0;
    for (int c = 0; c < p.length; c++) {
      if (p[c] > 0) {
        s += p[c] * (Math.log(p[c]) - Math.log(q[c]));
      }
    }
    return s;
  }

  /** Zhao et al. 2022 (mdistiller's dkd_loss), without warm-up: α·TCKD + β·NCKD. */
  static double dkd(
      double[][] s, double[][] t, int[] labels, double alpha, double beta, double temp) {
    double tckd = 0;
    double nckd = 0;
    for (int i = 0; i < s.length; i++) {
      double[] q = softmax(s[i], temp);
      double[] p = softmax(t[i], temp);
      int g = labels[i];
      // 1 - p_g summed from the other classes: exact even when p_g rounds to 1.
      double qo = 0;
      double po = 0;
      for (int c = 0; c < q.length; c++) {
        if (c != g) {
          qo += q[c];
          po += p[c];
        }
      }
      tckd += kl(new double[] {p[g], po}, new double[] {q[g], qo});
      double[] qh = new double[q.length];
      double[] ph = new double[p.length];
      for (int c = 0; c < q.length; c++) {
        if (c != g) {
          qh[c] = q[c] / qo;
          ph[c] = p[c] / po;
        }
      }
      nckd += kl(ph, qh);
    }
    double t2 = temp * temp;
    return (alpha * tckd + beta * nckd) * t2 / s.length;
  }

  static double pearson(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] / a.length;
      mb += b[i] / b.length;
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (a[i] - ma) * (b[i] - mb);
      na += (a[i] - ma) * (a[i] - ma);
      nb += (b[i] - mb) * (b[i] - mb);
    }
    return dot / (Math.sqrt(na) * Math.sqrt(nb) + 1e-8);
  }

  /** Huang et al. 2022 (official DIST): β·τ²·(1 − mean row ρ) + γ·τ²·(1 − mean column ρ). */
  static double dist(double[][] s, double[][] t, double beta, double gamma, double tau) {
    int b = s.length;
    int c = s[0].length;
    double[][] ys = new double[b][];
    double[][] yt = new double[b][];
    double inter = 0;
    for (int i = 0; i < b; i++) {
      ys[i] = softmax(s[i], tau);
      yt[i] = softmax(t[i], tau);
      inter += pearson(ys[i], yt[i]) / b;
    }
    double intra = 0;
    for (int k = 0; k < c; k++) {
      double[] cs = new double[b];
      double[] ct = new double[b];
      for (int i = 0; i < b; i++) {
        cs[i] = ys[i][k];
        ct[i] = yt[i][k];
      }
      intra += pearson(cs, ct) / c;
    }
    return tau * tau * (beta * (1 - inter) + gamma * (1 - intra));
  }
}
