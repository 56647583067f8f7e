package org.taqtir.core.eval.loss;

import org.taqtir.core.eval.Metrics;
import org.taqtir.core.eval.ModelOutputs;

/**
 * What one run's metrics are computed from: its predictions, the teacher's, the labels, the
 * label-only twin of the same seed and the cascade point chosen on validation. Quantities several
 * metrics share (calibration, temperature, per-class accuracy) are computed once, on first use.
 */
public final class RunView {

  private final ModelOutputs outputs;
  private final ModelOutputs teacherOutputs;
  private final Predictions student;
  private final Predictions teacher;
  private final float[] baselineLogits;
  private final Predictions baseline;
  private final int[] valLabels;
  private final int[] labels;
  private final int classes;
  private Cascade.Point cascade;
  private Double acc;
  private LossMetrics.Calibration calibration;
  private Double temperature;
  private double[] perClass;

  /**
   * A run's view.
   *
   * @param outputs the run's predictions (test and validation logits, latencies)
   * @param teacherOutputs the teacher's
   * @param teacher the teacher's test predictions
   * @param baselineLogits the label-only twin's test logits, or null
   * @param valLabels validation labels
   * @param labels test labels
   * @param classes number of classes
   */
  public RunView(
      ModelOutputs outputs,
      ModelOutputs teacherOutputs,
      Predictions teacher,
      float[] baselineLogits,
      int[] valLabels,
      int[] labels,
      int classes) {
    this.outputs = outputs;
    this.teacherOutputs = teacherOutputs;
    this.student = Predictions.of(outputs.testLogits(), classes, 1);
    this.teacher = teacher;
    this.baselineLogits = baselineLogits;
    this.baseline = baselineLogits == null ? null : Predictions.of(baselineLogits, classes, 1);
    this.valLabels = valLabels;
    this.labels = labels;
    this.classes = classes;
  }

  /** Returns the run's predictions and costs. */
  ModelOutputs outputs() {
    return outputs;
  }

  /** Returns the teacher's predictions and costs. */
  ModelOutputs teacherOutputs() {
    return teacherOutputs;
  }

  /** Returns the run's test predictions. */
  Predictions student() {
    return student;
  }

  /** Returns the teacher's test predictions. */
  Predictions teacher() {
    return teacher;
  }

  /** Returns the label-only twin's test predictions, or null. */
  Predictions baseline() {
    return baseline;
  }

  /** Returns the label-only twin's test logits, or null. */
  float[] baselineLogits() {
    return baselineLogits;
  }

  /** Returns the test labels. */
  int[] labels() {
    return labels;
  }

  /** Returns the number of classes. */
  int classes() {
    return classes;
  }

  /** Returns the test accuracy. */
  double acc() {
    if (acc == null) {
      acc = Metrics.accuracy(outputs.testLogits(), labels, classes);
    }
    return acc;
  }

  /** Returns the test calibration (15 bins). */
  LossMetrics.Calibration calibration() {
    if (calibration == null) {
      calibration = LossMetrics.calibration(student, labels);
    }
    return calibration;
  }

  /** Returns the temperature fitted on validation. */
  double temperature() {
    if (temperature == null) {
      temperature = LossMetrics.fitTemperature(outputs.valLogits(), valLabels, classes);
    }
    return temperature;
  }

  /** Returns the test ECE after temperature scaling. */
  double eceScaled() {
    return LossMetrics.calibration(
            Predictions.of(outputs.testLogits(), classes, temperature()), labels)
        .ece();
  }

  /** Returns the per-class test accuracy. */
  double[] perClass() {
    if (perClass == null) {
      perClass = LossMetrics.perClassAccuracy(student, labels);
    }
    return perClass;
  }

  /** Returns the cascade's operating point on test at the threshold chosen on validation. */
  Cascade.Point cascade() {
    return cascade;
  }

  void cascade(Cascade.Point point) {
    this.cascade = point;
  }
}
