package org.taqtir.core.run;

import java.util.Map;

/**
 * Metrics of one epoch.
 *
 * @param epoch zero-based epoch
 * @param trainLoss mean training loss over the epoch's steps
 * @param valLoss the task's loss on the validation split (mean cross-entropy per sample, or per
 *     token for a sequence task)
 * @param valAcc top-1 accuracy on the validation split (per token for a sequence task)
 * @param learningRate the learning rate used in this epoch
 * @param seconds wall time of the epoch's training steps (validation excluded)
 * @param samplesPerSecond training throughput
 * @param extras further validation metrics the task computes, by key (e.g. {@code val_bpc}); empty
 *     for classification
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double valLoss,
    double valAcc,
    double learningRate,
    double seconds,
    double samplesPerSecond,
    Map<String, Double> extras) {

  /** Copies the extras. */
  public EpochMetrics {
    extras = Map.copyOf(extras);
  }

  /**
   * Metrics without extras.
   *
   * @param epoch zero-based epoch
   * @param trainLoss mean training loss
   * @param valLoss validation loss
   * @param valAcc validation accuracy
   * @param learningRate the learning rate
   * @param seconds wall time of the training steps
   * @param samplesPerSecond throughput
   */
  public EpochMetrics(
      int epoch,
      double trainLoss,
      double valLoss,
      double valAcc,
      double learningRate,
      double seconds,
      double samplesPerSecond) {
    this(epoch, trainLoss, valLoss, valAcc, learningRate, seconds, samplesPerSecond, Map.of());
  }
}
