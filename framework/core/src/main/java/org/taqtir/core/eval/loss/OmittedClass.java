package org.taqtir.core.eval.loss;

import java.util.Arrays;
import org.taqtir.core.eval.Metrics;

/**
 * The omitted-class probe of Hinton, Vinyals and Dean (2015, "Distilling the Knowledge in a Neural
 * Network", section 3): students are distilled on a transfer set from which one class was removed
 * ({@code data.transfer_exclude_classes}); on the test set the probe measures how well they still
 * recognise that class, then applies the paper's bias correction and measures again.
 *
 * <p>Hinton et al. raised the omitted class's output bias by 3.5, the value that optimised test
 * performance. Here the test split never chooses anything; the bias is chosen on the
 * <b>validation</b> split by a label-free rule: <i>the additive bias b on the omitted class's logit
 * that makes the student's predicted frequency of that class on validation equal to the teacher's
 * predicted frequency of it on validation</i>. Exactly: with {@code t_i = max_{j≠k} z_ij − z_ik}
 * (the bias at which validation sample i switches to class k) sorted ascending as {@code t_(1) ≤ …
 * ≤ t_(N)}, and m the number of validation samples the teacher assigns to class k,
 *
 * <pre>
 *   b = (t_(m) + t_(m+1)) / 2   for 0 &lt; m &lt; N,   t_(1) − 1 for m = 0,   t_(N) + 1 for m = N
 * </pre>
 *
 * so exactly m validation samples are predicted as k after correction when {@code t_(m) < t_(m+1)}.
 * With a tie there no bias gives exactly m; b is then the tied value itself and the tied samples
 * follow the argmax tie rule (lowest class index). The correction is applied to the student's
 * output logits at evaluation ({@code z_ik + b}); no weight is changed.
 */
public final class OmittedClass {

  private OmittedClass() {}

  /**
   * The result of the probe for one class, on one model.
   *
   * @param cls the omitted class
   * @param bias the bias added to the class's logit, chosen on validation
   * @param teacherValFrequency the teacher's predicted frequency of the class on validation
   * @param valFrequency the student's predicted frequency of the class on validation, before
   * @param valFrequencyCorrected the same after the correction
   * @param classAcc the student's test accuracy on the class, before
   * @param classAccCorrected the same after the correction
   * @param acc overall test accuracy, before
   * @param accCorrected overall test accuracy after the correction
   */
  public record Probe(
      int cls,
      double bias,
      double teacherValFrequency,
      double valFrequency,
      double valFrequencyCorrected,
      double classAcc,
      double classAccCorrected,
      double acc,
      double accCorrected) {}

  /**
   * Chooses the bias by the frequency-matching rule above.
   *
   * @param studentVal the student's validation logits, row-major {@code (N, classes)}
   * @param teacherVal the teacher's validation logits, same shape
   * @param classes number of classes
   * @param cls the omitted class
   * @return the bias b
   */
  public static double matchFrequencyBias(
      float[] studentVal, float[] teacherVal, int classes, int cls) {
    int n = studentVal.length / classes;
    int m = count(Predictions.of(teacherVal, classes, 1).argmax(), cls);
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      double other = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        if (j != cls) {
          other = Math.max(other, studentVal[i * classes + j]);
        }
      }
      t[i] = other - studentVal[i * classes + cls];
    }
    Arrays.sort(t);
    if (m == 0) {
      return t[0] - 1;
    }
    if (m == n) {
      return t[n - 1] + 1;
    }
    return (t[m - 1] + t[m]) / 2;
  }

  /**
   * Adds a bias to one class's logit of every row.
   *
   * @param logits row-major logits (not changed)
   * @param classes number of classes
   * @param cls the class
   * @param bias the bias
   * @return a new array with {@code z_i,cls + bias}
   */
  public static float[] withBias(float[] logits, int classes, int cls, double bias) {
    float[] out = logits.clone();
    for (int i = cls; i < out.length; i += classes) {
      out[i] = (float) (out[i] + bias);
    }
    return out;
  }

  /**
   * Runs the probe for one class: chooses the bias on validation, measures on test.
   *
   * @param studentVal the student's validation logits
   * @param teacherVal the teacher's validation logits
   * @param studentTest the student's test logits
   * @param testLabels test labels
   * @param classes number of classes
   * @param cls the omitted class
   * @return the probe's numbers
   */
  public static Probe probe(
      float[] studentVal,
      float[] teacherVal,
      float[] studentTest,
      int[] testLabels,
      int classes,
      int cls) {
    double b = matchFrequencyBias(studentVal, teacherVal, classes, cls);
    int n = studentVal.length / classes;
    Predictions before = Predictions.of(studentTest, classes, 1);
    float[] corrected = withBias(studentTest, classes, cls, b);
    Predictions after = Predictions.of(corrected, classes, 1);
    return new Probe(
        cls,
        b,
        (double) count(Predictions.of(teacherVal, classes, 1).argmax(), cls) / n,
        (double) count(Predictions.of(studentVal, classes, 1).argmax(), cls) / n,
        (double)
                count(
                    Predictions.of(withBias(studentVal, classes, cls, b), classes, 1).argmax(), cls)
            / n,
        LossMetrics.perClassAccuracy(before, testLabels)[cls],
        LossMetrics.perClassAccuracy(after, testLabels)[cls],
        Metrics.accuracy(studentTest, testLabels, classes),
        Metrics.accuracy(corrected, testLabels, classes));
  }

  private static int count(int[] argmax, int cls) {
    int c = 0;
    for (int a : argmax) {
      c += a == cls ? 1 : 0;
    }
    return c;
  }
}
