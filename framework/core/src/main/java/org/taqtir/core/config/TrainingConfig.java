package org.taqtir.core.config;

import java.util.Objects;

/**
 * How one model is trained.
 *
 * @param epochs number of epochs, &gt;= 1 (default 10)
 * @param batchSize samples per optimisation step, &gt;= 1 (default 128)
 * @param optimizer the optimiser (default sgd)
 * @param schedule the learning-rate schedule (default constant)
 * @param jitter image augmentation: every training image shifted by a random whole number of pixels
 *     in [−jitter, jitter] along each axis, a new draw per sample and step (Hinton et al. 2015's
 *     "jittered by up to two pixels"); 0 (the default) for none
 */
public record TrainingConfig(
    int epochs, int batchSize, OptimizerConfig optimizer, ScheduleConfig schedule, int jitter) {

  /** Checks that no reference is {@code null}. */
  public TrainingConfig {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
  }

  /**
   * Training without augmentation.
   *
   * @param epochs number of epochs
   * @param batchSize samples per step
   * @param optimizer the optimiser
   * @param schedule the learning-rate schedule
   */
  public TrainingConfig(
      int epochs, int batchSize, OptimizerConfig optimizer, ScheduleConfig schedule) {
    this(epochs, batchSize, optimizer, schedule, 0);
  }

  /**
   * The record's text, which is part of a trained teacher's identity (its directory under {@code
   * teachers/}): without augmentation it reads as it did before {@code jitter} existed, so teachers
   * trained then are found again.
   */
  @Override
  public String toString() {
    return "TrainingConfig[epochs="
        + epochs
        + ", batchSize="
        + batchSize
        + ", optimizer="
        + optimizer
        + ", schedule="
        + schedule
        + (jitter == 0 ? "" : ", jitter=" + jitter)
        + "]";
  }

  /**
   * The defaults: 10 epochs, batch 128, sgd (lr 0.05, momentum 0.9), constant schedule.
   *
   * @return the default training
   */
  public static TrainingConfig defaults() {
    return new TrainingConfig(
        10, 128, OptimizerConfig.defaults(OptimizerConfig.SGD), ScheduleConfig.constant());
  }
}
