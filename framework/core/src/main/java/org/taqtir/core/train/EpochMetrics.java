package org.taqtir.core.train;

/**
 * Metrics of one epoch.
 *
 * @param epoch zero-based epoch
 * @param trainLoss mean training loss over the epoch's steps
 * @param valLoss mean cross-entropy on the validation split
 * @param valAcc top-1 accuracy on the validation split
 * @param learningRate the learning rate used in this epoch
 * @param seconds wall time of the epoch's training steps (validation excluded)
 * @param samplesPerSecond training throughput
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double valLoss,
    double valAcc,
    double learningRate,
    double seconds,
    double samplesPerSecond) {}
