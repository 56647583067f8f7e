package org.taqtir.core.eval;

/** Classification metrics over row-major logits {@code (N, classes)}. */
public final class Metrics {

  private Metrics() {}

  /**
   * Returns the top-1 accuracy.
   *
   * @param logits row-major {@code (N, classes)} scores
   * @param labels true classes, length N
   * @param classes number of classes
   * @return the fraction of rows whose arg-max equals the label; ties go to the lowest index
   */
  public static double accuracy(float[] logits, int[] labels, int classes) {
    check(logits, labels, classes);
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (argmax(logits, i, classes) == labels[i]) {
        correct++;
      }
    }
    return labels.length == 0 ? Double.NaN : (double) correct / labels.length;
  }

  /**
   * Returns the mean cross-entropy (negative log-likelihood of the softmax), in nats.
   *
   * @param logits row-major {@code (N, classes)} scores
   * @param labels true classes, length N
   * @param classes number of classes
   * @return the mean over rows; infinite or NaN when a logit is
   */
  public static double crossEntropy(float[] logits, int[] labels, int classes) {
    check(logits, labels, classes);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      int off = i * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[off + c]);
      }
      double z = 0;
      for (int c = 0; c < classes; c++) {
        z += Math.exp(logits[off + c] - max);
      }
      sum += Math.log(z) + max - logits[off + labels[i]];
    }
    return labels.length == 0 ? Double.NaN : sum / labels.length;
  }

  /**
   * Returns the index of the largest score of one row.
   *
   * @param logits row-major scores
   * @param row the row
   * @param classes the row length
   * @return the arg-max, lowest index on ties
   */
  public static int argmax(float[] logits, int row, int classes) {
    int off = row * classes;
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (logits[off + c] > logits[off + best]) {
        best = c;
      }
    }
    return best;
  }

  private static void check(float[] logits, int[] labels, int classes) {
    if (logits.length != (long) labels.length * classes) {
      throw new IllegalArgumentException(
          "logits have " + logits.length + " values, expected " + labels.length + " x " + classes);
    }
  }
}
