package org.taqtir.core.run;

import java.util.List;
import java.util.Map;
import org.taqtir.core.eval.ModelOutputs;
import org.taqtir.core.eval.RunOutputs;

/**
 * What one training run produced: its training record and what the task measured on the selected
 * weights.
 *
 * @param history per-epoch metrics, in order (only completed epochs)
 * @param bestEpoch zero-based selected epoch, -1 when none completed
 * @param bestValAcc validation accuracy of the selected epoch, NaN when none
 * @param testAcc test accuracy of the selected weights, NaN when not evaluated
 * @param parameterCount number of trainable scalars
 * @param trainSeconds total wall time spent in training steps
 * @param samplesPerSecond mean training throughput
 * @param error {@code null} when the run finished, else why it stopped (e.g. divergence)
 * @param testMetrics every test metric the task computed, by key (e.g. {@code test/acc}); empty
 *     when not evaluated
 * @param outputs the task's predictions for the study's evaluation (for classification, {@link
 *     ModelOutputs}); {@code null} when the test split was not evaluated or no epoch finished
 */
public record TrainResult(
    List<EpochMetrics> history,
    int bestEpoch,
    double bestValAcc,
    double testAcc,
    long parameterCount,
    double trainSeconds,
    double samplesPerSecond,
    String error,
    Map<String, Double> testMetrics,
    RunOutputs outputs) {

  /** Copies the history and the metrics. */
  public TrainResult {
    history = List.copyOf(history);
    testMetrics = Map.copyOf(testMetrics);
  }

  /**
   * Returns the same result with the task's evaluation of the selected weights.
   *
   * @param metrics the test metrics by key ({@code test/acc} fills {@link #testAcc()})
   * @param predictions the task's predictions
   * @return a new result
   */
  public TrainResult evaluated(Map<String, Double> metrics, RunOutputs predictions) {
    return new TrainResult(
        history,
        bestEpoch,
        bestValAcc,
        metrics.getOrDefault("test/acc", Double.NaN),
        parameterCount,
        trainSeconds,
        samplesPerSecond,
        error,
        metrics,
        predictions);
  }

  /**
   * Tells whether the run finished all epochs without diverging.
   *
   * @return {@code true} when {@link #error()} is {@code null}
   */
  public boolean ok() {
    return error == null;
  }

  /**
   * Returns every metric of the run as exact bit patterns (per epoch the training loss, validation
   * loss and accuracy, then the test accuracy and a hash of the test logits): two runs are equal
   * bit for bit exactly when these strings are equal.
   *
   * @return a space-separated string of hexadecimal bit patterns
   */
  public String bits() {
    StringBuilder sb = new StringBuilder();
    for (EpochMetrics m : history) {
      sb.append(Long.toHexString(Double.doubleToRawLongBits(m.trainLoss()))).append(' ');
      sb.append(Long.toHexString(Double.doubleToRawLongBits(m.valLoss()))).append(' ');
      sb.append(Long.toHexString(Double.doubleToRawLongBits(m.valAcc()))).append(' ');
    }
    sb.append(
        Double.isNaN(testAcc) ? "NaN" : Long.toHexString(Double.doubleToRawLongBits(testAcc)));
    sb.append(' ').append(Integer.toHexString(java.util.Arrays.hashCode(testLogits())));
    for (EpochMetrics m : history) {
      if (!Double.isFinite(m.trainLoss())) {
        sb.append(" NaN");
      }
    }
    return sb.toString();
  }

  /**
   * Returns the classification predictions, when the task produced them.
   *
   * @return the logits and latencies, or null
   */
  public ModelOutputs extras() {
    return outputs instanceof ModelOutputs m ? m : null;
  }

  /**
   * Returns the selected weights' test logits, when the task produced them.
   *
   * @return row-major {@code (N, classes)}; empty when not evaluated
   */
  public float[] testLogits() {
    ModelOutputs m = extras();
    return m == null ? new float[0] : m.testLogits();
  }
}
