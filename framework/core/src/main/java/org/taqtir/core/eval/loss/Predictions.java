package org.taqtir.core.eval.loss;

/**
 * A model's predicted distributions on one split, computed once from its logits.
 *
 * @param probs row-major softmax probabilities {@code (N, classes)}
 * @param argmax the predicted class of each row (lowest index on ties)
 * @param classes number of classes
 */
public record Predictions(double[] probs, int[] argmax, int classes) {

  /**
   * Applies a softmax at temperature {@code t} to logits.
   *
   * @param logits row-major logits
   * @param classes number of classes
   * @param t temperature, {@code > 0}
   * @return the predictions
   */
  public static Predictions of(float[] logits, int classes, double t) {
    int n = logits.length / classes;
    double[] p = new double[logits.length];
    int[] arg = new int[n];
    for (int i = 0; i < n; i++) {
      int off = i * classes;
      double max = Double.NEGATIVE_INFINITY;
      int best = 0;
      for (int c = 0; c < classes; c++) {
        if (logits[off + c] > max) {
          max = logits[off + c];
          best = c;
        }
      }
      arg[i] = best;
      double z = 0;
      for (int c = 0; c < classes; c++) {
        p[off + c] = Math.exp((logits[off + c] - max) / t);
        z += p[off + c];
      }
      for (int c = 0; c < classes; c++) {
        p[off + c] /= z;
      }
    }
    return new Predictions(p, arg, classes);
  }

  /**
   * Returns the number of samples.
   *
   * @return N
   */
  public int size() {
    return argmax.length;
  }

  /**
   * Returns the probability of the predicted class of a row (its confidence).
   *
   * @param i the row
   * @return max_c p_ic
   */
  public double confidence(int i) {
    return probs[i * classes + argmax[i]];
  }
}
