package org.taqtir.core.train;

import java.util.List;

/**
 * What one training run produced.
 *
 * @param history per-epoch metrics, in order (only completed epochs)
 * @param bestEpoch zero-based epoch with the best validation accuracy, -1 when none completed
 * @param bestValAcc validation accuracy of the best epoch
 * @param testAcc test accuracy of the best epoch's weights, NaN when not evaluated
 * @param testLogits the best model's test logits, row-major {@code (N, classes)}, empty when not
 *     evaluated
 * @param parameterCount number of trainable scalars
 * @param trainSeconds total wall time spent in training steps
 * @param samplesPerSecond mean training throughput
 * @param error {@code null} when the run finished, else why it stopped (e.g. divergence)
 * @param extras validation logits, shifted-set logits and latency of the selected weights; {@code
 *     null} when the test split was not evaluated or no epoch finished
 */
public record TrainResult(
    List<EpochMetrics> history,
    int bestEpoch,
    double bestValAcc,
    double testAcc,
    float[] testLogits,
    long parameterCount,
    double trainSeconds,
    double samplesPerSecond,
    String error,
    ExtraEvaluation.Outputs extras) {

  /** Copies the history. */
  public TrainResult {
    history = List.copyOf(history);
  }

  /**
   * Tells whether the run finished all epochs without diverging.
   *
   * @return {@code true} when {@link #error()} is {@code null}
   */
  public boolean ok() {
    return error == null;
  }
}
